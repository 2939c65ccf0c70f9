// verifyAll of a SQLite file on one thread per core: the log is cut into as many ranges of
// positions, each checked on its own thread (sqlite-verify-worker.ts), and the ranges stitched in
// order, which finds exactly the break one pass in order would report first (chain-links.ts).
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { stitch, streamsEnded } from '@nrm/contracts/chain-links';
import type { RangeLinks } from '@nrm/contracts/chain-links';
import type { ChainVerification } from '@nrm/contracts';
import type { VerifyRangeReply, VerifyRangeRequest } from './sqlite-verify-worker.ts';

/** Below this many events one pass on the store's thread is quicker than starting threads. */
export const PARALLEL_VERIFY_MIN_EVENTS = 50_000;

function verifyRange(request: VerifyRangeRequest, onRows: (rows: number) => void): Promise<{ rows: number; links: RangeLinks }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./sqlite-verify-worker.ts', import.meta.url));
    let settled = false;
    const settle = (action: () => void) => {
      if (settled) return;
      settled = true;
      action();
    };
    worker.on('message', (reply: VerifyRangeReply) => {
      if ('progress' in reply) onRows(reply.progress);
      else if ('error' in reply) settle(() => reject(new Error(`verifying positions ${request.after + 1}..${request.to}: ${reply.error}`)));
      else settle(() => resolve(reply));
    });
    worker.on('error', (error) => settle(() => reject(error)));
    worker.on('exit', (code) => settle(() => reject(new Error(`the verify thread for positions ${request.after + 1}..${request.to} exited (code ${code})`))));
    worker.postMessage(request);
  });
}

/**
 * Verifies positions 0..head of the file at `path`. `rowsBefore` counts the stored events before a
 * position (what a break's `checked` is: every event before it passed).
 */
export async function verifyAllOnThreads(path: string, head: number, rowsBefore: (position: number) => number, onProgress?: (checked: number) => void): Promise<ChainVerification> {
  const threads = Math.max(2, availableParallelism());
  const size = Math.ceil((head + 1) / threads);
  let checked = 0;
  const ranges = await Promise.all(
    Array.from({ length: threads }, (_, range) =>
      verifyRange({ path, after: range * size - 1, to: range === threads - 1 ? head : Math.min(head, (range + 1) * size - 1) }, (rows) => {
        checked += rows;
        onProgress?.(checked);
      }),
    ),
  );
  const links = ranges.map((range) => range.links);
  const firstBreak = stitch(links);
  if (firstBreak) return { ok: false, checked: rowsBefore(firstBreak.position), firstBreak };
  const total = ranges.reduce((sum, range) => sum + range.rows, 0);
  onProgress?.(total);
  const streams = new Set(links.flatMap(streamsEnded));
  const lastPosition = links.reduceRight<number | null>((found, range) => found ?? range.lastPosition, null);
  return { ok: true, checked: total, streams: streams.size, lastPosition };
}
