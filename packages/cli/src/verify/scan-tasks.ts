// The unit of work a scan thread takes (see sqlite-scan-tasks.ts).
import { closeConnections, scanJoin } from './sqlite-scan-tasks.ts';

export { closeConnections };
import type { JoinScan, ScanProgress } from './sqlite-scan-tasks.ts';

export type ScanTask = { path: string; archivePath: string; after: number; to: number };

export type ScanResult = JoinScan;

export function runScanTask(task: ScanTask, progress: ScanProgress): ScanResult {
  return scanJoin(task.path, task.archivePath, task.after, task.to, progress);
}

/** The typed arrays in a result, handed over to the main thread rather than copied. */
export function transferablesOf(result: ScanResult): ArrayBuffer[] {
  return [result.positions.buffer as ArrayBuffer, result.sequences.buffer as ArrayBuffer];
}
