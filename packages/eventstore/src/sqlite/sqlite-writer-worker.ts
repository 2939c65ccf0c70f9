// The SQLite store's writer thread. node:sqlite blocks its thread for the whole commit, fsync
// included; on the main thread that is time nothing else can run. Here, the fsync of one batch
// overlaps with the main thread deciding the next one (validation, hashing, lookups), which is
// what lets concurrent writers go faster than one core doing both in turn.
//
// Loaded by Node's own loader (type stripping): built-in and relative imports only.
import { DatabaseSync } from 'node:sqlite';
import { parentPort, workerData } from 'node:worker_threads';
import { commitRows, prepareCommit } from './sqlite-commit.ts';
import type { LogTail, RowValues } from './sqlite-commit.ts';
import { sqlitePragmas } from './schema.ts';

export type WriterRequest = { seq: number; expectedTail: LogTail; rows: RowValues[] } | { close: true };
export type WriterReply = { seq: number; status: 'ok' | 'conflict' } | { seq: number; status: 'error'; message: string; code?: string };

const { path, durability } = workerData as { path: string; durability: 'full' | 'normal' };
const database = new DatabaseSync(path);
database.exec(sqlitePragmas(durability));
const statements = prepareCommit(database);
const port = parentPort!;

port.on('message', (request: WriterRequest) => {
  if ('close' in request) {
    database.close();
    port.close();
    return;
  }
  let reply: WriterReply;
  try {
    reply = { seq: request.seq, status: commitRows(database, statements, request.expectedTail, request.rows) };
  } catch (error) {
    const failure = error as Error & { code?: string };
    reply = { seq: request.seq, status: 'error', message: failure.message, ...(failure.code ? { code: failure.code } : {}) };
  }
  port.postMessage(reply);
});
