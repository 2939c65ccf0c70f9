// The unit of work a scan thread takes (see sqlite-scan-tasks.ts).
import { closeConnections, scanJoin, scanSequences } from './sqlite-scan-tasks.ts';

export { closeConnections };
import type { JoinScan, ScanProgress } from './sqlite-scan-tasks.ts';

export type ScanTask =
  | { kind: 'join'; path: string; archivePath: string; after: number; to: number }
  | { kind: 'sequences'; archivePath: string };

export type ScanResult = JoinScan | Uint8Array;

export function runScanTask(task: ScanTask, progress: ScanProgress): ScanResult {
  switch (task.kind) {
    case 'join':
      return scanJoin(task.path, task.archivePath, task.after, task.to, progress);
    case 'sequences':
      return scanSequences(task.archivePath);
  }
}

/** The typed arrays in a result, handed over to the main thread rather than copied. */
export function transferablesOf(result: ScanResult): ArrayBuffer[] {
  if (result instanceof Uint8Array) return [result.buffer as ArrayBuffer];
  if ('sequences' in result) return [result.positions.buffer as ArrayBuffer, result.sequences.buffer as ArrayBuffer];
  return [];
}
