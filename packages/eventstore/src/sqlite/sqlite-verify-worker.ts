// A verifyAll thread: checks one range of positions of the log (hash, columns, positions,
// revisions, prevHash as far as the range allows) on its own read-only connection, and hands
// back what stitching the ranges needs (chain-links.ts). SHA-256 over every stored text is most
// of a verification; on threads it uses every core, and the store's own thread stays free.
import { DatabaseSync } from 'node:sqlite';
import { parentPort } from 'node:worker_threads';
import { RangeChecker, chainFieldsOf } from '@nrm/contracts/chain-links';
import type { RangeLinks } from '@nrm/contracts/chain-links';
import { sha256Hex } from '@nrm/contracts/hash-chain';
import { SQLITE_MMAP_BYTES } from './schema.ts';

export type VerifyRangeRequest = { path: string; after: number; to: number };
export type VerifyRangeReply = { progress: number } | { rows: number; links: RangeLinks } | { error: string };

const PAGE = 5_000;
const port = parentPort!;

port.once('message', ({ path, after, to }: VerifyRangeRequest) => {
  let database: DatabaseSync | null = null;
  try {
    database = new DatabaseSync(path, { readOnly: true, timeout: 5_000 });
    // Mapped, the pages are read where the OS keeps them instead of copied into a cold page cache.
    // A log past 1 GiB was read page by page beyond the first GiB when this mapped 1 GiB.
    database.exec(`PRAGMA mmap_size = ${SQLITE_MMAP_BYTES}`);
    const page = database.prepare('SELECT position, stream, revision, body, hash FROM events WHERE position > ? AND position <= ? ORDER BY position LIMIT ?');
    page.setReturnArrays(true);
    const links = new RangeChecker();
    let rows = 0;
    for (let from = after; ; ) {
      const batch = page.all(from, to, PAGE) as unknown as [number, string, number, string, string][];
      for (const [position, stream, revision, body, hash] of batch) {
        links.check({ position, stream, revision, hash, hashHolds: sha256Hex(body) === hash, fields: chainFieldsOf(body) });
      }
      rows += batch.length;
      if (batch.length < PAGE) break;
      from = batch[batch.length - 1]![0];
      port.postMessage({ progress: batch.length } satisfies VerifyRangeReply);
    }
    port.postMessage({ rows, links: links.result() } satisfies VerifyRangeReply);
  } catch (error) {
    port.postMessage({ error: (error as Error).message } satisfies VerifyRangeReply);
  } finally {
    database?.close();
    port.close();
  }
});
