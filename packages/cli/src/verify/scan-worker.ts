// A scan thread: takes tasks one at a time, reports progress, hands back the compact result.
import { parentPort } from 'node:worker_threads';
import { closeConnections, runScanTask, transferablesOf } from './scan-tasks.ts';
import type { ScanTask } from './scan-tasks.ts';

export type WorkerReply = { id: number; progress: number } | { id: number; result: unknown } | { id: number; error: string };

parentPort!.on('message', ({ id, task }: { id: number; task: ScanTask | 'close' }) => {
  if (task === 'close') {
    closeConnections();
    parentPort!.close();
    return;
  }
  try {
    const result = runScanTask(task, (progress) => parentPort!.postMessage({ id, progress } satisfies WorkerReply));
    parentPort!.postMessage({ id, result } satisfies WorkerReply, transferablesOf(result));
  } catch (error) {
    parentPort!.postMessage({ id, error: (error as Error).message } satisfies WorkerReply);
  }
});
