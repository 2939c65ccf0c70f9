// Runs scan tasks on one worker thread per core (node:sqlite and SHA-256 are synchronous, so
// threads are the only way to use more than one core), results in the order of the tasks. Each
// task has a lane: a thread takes its own lane's tasks in order, then the others' from their
// end, so that each thread keeps to its part of the files (every page a thread's memory map
// touches is a page fault, paid again in every thread that touches it).
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ScanResult, ScanTask } from './scan-tasks.ts';
import type { WorkerReply } from './scan-worker.ts';

const WORKER = new URL('./scan-worker.ts', import.meta.url);

/** How many threads scan: one per core. */
export const SCAN_THREADS = Math.max(1, availableParallelism());

export async function runScanTasks(tasks: readonly ScanTask[], laneOf: (task: number) => number, onProgress: (task: number, done: number) => void): Promise<ScanResult[]> {
  const results: ScanResult[] = new Array(tasks.length);
  const threads = Math.min(SCAN_THREADS, tasks.length);
  const lanes = Array.from({ length: threads }, () => [] as number[]);
  tasks.forEach((_, task) => lanes[laneOf(task) % threads]!.push(task));
  const nextFor = (thread: number): number | undefined => lanes[thread]!.shift() ?? lanes.find((lane) => lane.length > 0)?.pop();
  const workers = Array.from({ length: threads }, () => new Worker(WORKER));
  try {
    await Promise.all(
      workers.map(
        (worker, thread) =>
          new Promise<void>((resolve, reject) => {
            const take = () => {
              const id = nextFor(thread);
              if (id === undefined) return resolve();
              worker.postMessage({ id, task: tasks[id] });
            };
            worker.on('message', (reply: WorkerReply) => {
              if ('progress' in reply) onProgress(reply.id, reply.progress);
              else if ('error' in reply) reject(new Error(reply.error));
              else {
                results[reply.id] = reply.result as ScanResult;
                take();
              }
            });
            worker.on('error', reject);
            take();
          }),
      ),
    );
    return results;
  } finally {
    // Asked to close their connections and stop, without waiting for it: unmapping the files
    // takes a few hundred milliseconds and the result does not depend on it. The threads do not
    // keep the process alive, and one that does not stop within 5 s is terminated.
    for (const worker of workers) {
      worker.postMessage({ id: -1, task: 'close' });
      worker.unref();
      const timer = setTimeout(() => void worker.terminate(), 5_000);
      timer.unref();
      worker.once('exit', () => clearTimeout(timer));
    }
  }
}
