// One write transaction on a connection shared with the event loop, without putting the thread to
// sleep while another connection holds SQLite's write lock.
//
// node:sqlite is synchronous: when BEGIN IMMEDIATE finds the lock taken, SQLite's busy handler
// sleeps the calling thread (1, 2, 5, 10 … ms) until it is free. The store's writer thread holds
// the lock for every batch of events, fsync included, so on the main thread each collision was a
// millisecond or more in which no request was served: under HTTP ingestion load, 224 of 16,860
// BEGIN IMMEDIATEs on the main connection waited over 1 ms (up to 35 ms), ~1.3 s of a 12 s run.
// Here a taken lock is tried again from the event loop instead, so the thread serves other work
// meanwhile. After POLITE_MS of that the attempt blocks as before (with the connection's busy
// timeout): a writer that keeps the lock busy cannot starve this one.
import type { DatabaseSync } from 'node:sqlite';
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';

/** How long a transaction retries from the event loop before it waits the blocking way. */
const POLITE_MS = 25;
const SQLITE_BUSY = 5;

const busyTimeouts = new WeakMap<DatabaseSync, number>();

function busyTimeoutOf(db: DatabaseSync): number {
  let timeout = busyTimeouts.get(db);
  if (timeout === undefined) {
    timeout = (db.prepare('PRAGMA busy_timeout').get() as { timeout: number }).timeout;
    busyTimeouts.set(db, timeout);
  }
  return timeout;
}

function isBusy(error: unknown): boolean {
  const code = (error as { errcode?: unknown }).errcode;
  // Extended codes (BUSY_RECOVERY, BUSY_SNAPSHOT …) keep SQLITE_BUSY in their low byte.
  return typeof code === 'number' && (code & 0xff) === SQLITE_BUSY;
}

/** BEGIN IMMEDIATE if the write lock is free now; false, without waiting, if it is not. */
function tryBegin(db: DatabaseSync): boolean {
  const timeout = busyTimeoutOf(db);
  db.exec('PRAGMA busy_timeout = 0');
  try {
    db.exec('BEGIN IMMEDIATE');
    return true;
  } catch (error) {
    if (isBusy(error)) return false;
    throw error;
  } finally {
    db.exec(`PRAGMA busy_timeout = ${timeout}`);
  }
}

export type WriteTransactionOptions = {
  /** Inside a transaction the caller already opened, the work is this savepoint of it. */
  savepoint?: string;
  /** Checked before each attempt at the lock (the store may have been closed meanwhile). */
  assertOpen?: () => void;
};

/**
 * Runs `work` (synchronous) in one BEGIN IMMEDIATE … COMMIT and resolves with its result; rolls
 * back and rejects if it throws. Called inside a transaction the caller already opened, `work`
 * runs at once as part of it (as a savepoint when `savepoint` names one), before this returns.
 */
export async function sqliteWriteTransaction<T>(db: DatabaseSync, work: () => T, options: WriteTransactionOptions = {}): Promise<T> {
  options.assertOpen?.();
  if (db.isTransaction) return nested(db, work, options.savepoint);
  if (!tryBegin(db)) {
    const started = performance.now();
    for (let attempt = 1; ; attempt++) {
      // The writer thread's commits take about a millisecond: the first retries come at once
      // after whatever else is due, then once a millisecond.
      await (attempt <= 2 ? nextTurn() : sleep(1));
      options.assertOpen?.();
      if (tryBegin(db)) break;
      if (performance.now() - started >= POLITE_MS) {
        db.exec('BEGIN IMMEDIATE');
        break;
      }
    }
  }
  try {
    const result = work();
    db.exec('COMMIT');
    return result;
  } catch (error) {
    if (db.isTransaction) db.exec('ROLLBACK');
    throw error;
  }
}

function nested<T>(db: DatabaseSync, work: () => T, savepoint: string | undefined): T {
  if (savepoint === undefined) return work();
  db.exec(`SAVEPOINT ${savepoint}`);
  try {
    const result = work();
    db.exec(`RELEASE ${savepoint}`);
    return result;
  } catch (error) {
    db.exec(`ROLLBACK TO ${savepoint}; RELEASE ${savepoint}`);
    throw error;
  }
}
