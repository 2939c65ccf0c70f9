// The SQLite store's writer thread. node:sqlite blocks its thread for the whole commit, fsync
// included; on the main thread that is time nothing else can run. Here, the fsync of one batch
// overlaps with the main thread deciding the next one (validation, hashing, lookups), which is
// what lets concurrent writers go faster than one core doing both in turn.
//
// A large batch may arrive in parts while the main thread is still hashing the rest of it: the
// first part opens the transaction, each part inserts its rows, the last commits, and only the
// last is answered. Messages of one batch arrive together (the main thread posts them in one
// synchronous run), so no other batch comes between them.
//
// Loaded by Node's own loader (type stripping): built-in and relative imports only.
import { DatabaseSync } from 'node:sqlite';
import { parentPort, workerData } from 'node:worker_threads';
import { abortRows, beginRows, commitRows, finishRows, insertRows, prepareCommit } from './sqlite-commit.ts';
import type { LogTail, RowValues } from './sqlite-commit.ts';
import { sqlitePragmas } from './schema.ts';

export type WriterRequest =
  | { seq: number; expectedTail: LogTail; rows: RowValues[] }
  /** A part of a batch: 'first' opens it (with the tail its plan assumed), 'last' commits it, 'abort' drops it. */
  | { seq: number; part: 'first'; expectedTail: LogTail; rows: RowValues[] }
  | { seq: number; part: 'more' | 'last'; rows: RowValues[] }
  | { seq: number; part: 'abort' }
  | { close: true };
export type WriterReply = { seq: number; status: 'ok' | 'conflict' } | { seq: number; status: 'error'; message: string; code?: string };
/** What the writer thread posts: once `ready` (its connection open, its statements prepared), then one reply per batch. */
export type WriterMessage = WriterReply | { ready: true };

const { path, durability } = workerData as { path: string; durability: 'full' | 'normal' };
const database = new DatabaseSync(path);
database.exec(sqlitePragmas(durability));
const statements = prepareCommit(database);
const port = parentPort!;
port.postMessage({ ready: true } satisfies WriterMessage);

/** The batch arriving in parts: its answer once decided early (a conflict or an error), else null. */
let open: { seq: number; settled: WriterReply | null } | null = null;

function failure(seq: number, error: unknown): WriterReply {
  const failed = error as Error & { code?: string };
  return { seq, status: 'error', message: failed.message, ...(failed.code ? { code: failed.code } : {}) };
}

function receivePart(request: Extract<WriterRequest, { part: string }>): WriterReply | null {
  if (request.part === 'first') {
    open = { seq: request.seq, settled: null };
    try {
      if (beginRows(database, statements, request.expectedTail) === 'conflict') open.settled = { seq: request.seq, status: 'conflict' };
      else insertRows(database, statements, request.rows);
    } catch (error) {
      open.settled = failure(request.seq, error);
    }
    return null;
  }
  if (open?.seq !== request.seq) return failure(request.seq, new Error(`part of batch ${request.seq} arrived without its first part`));
  const batch = open;
  if (request.part === 'abort') {
    if (!batch.settled) abortRows(database);
    open = null;
    return { seq: request.seq, status: 'error', message: 'the batch was abandoned while it was being planned' };
  }
  if (!batch.settled) {
    try {
      insertRows(database, statements, request.rows);
      if (request.part === 'last') finishRows(database);
    } catch (error) {
      batch.settled = failure(request.seq, error);
    }
  }
  if (request.part === 'more') return null;
  open = null;
  return batch.settled ?? { seq: request.seq, status: 'ok' };
}

port.on('message', (request: WriterRequest) => {
  if ('close' in request) {
    if (open && !open.settled) abortRows(database);
    database.close();
    port.close();
    return;
  }
  let reply: WriterReply | null;
  if ('part' in request) {
    reply = receivePart(request);
  } else {
    try {
      reply = { seq: request.seq, status: commitRows(database, statements, request.expectedTail, request.rows) };
    } catch (error) {
      reply = failure(request.seq, error);
    }
  }
  if (reply) port.postMessage(reply);
});
