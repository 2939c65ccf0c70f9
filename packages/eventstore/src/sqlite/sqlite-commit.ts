// Writing one planned batch: the rows were planned (positions, revisions, hash links) against
// what the planner believed the log's last row to be. The write re-checks that belief inside
// its own write transaction: if the last row is not the one the plan built on, some other
// writer (another process on the same file, or an earlier batch that failed) got there first,
// and the batch is refused whole as a conflict, to be planned again. Positions are dense and
// assigned in order, so "the last row is the one I expected" means nothing else was written.
//
// Used by the writer thread and by the main thread alike, so it imports only node built-ins
// and types (the writer thread loads it with Node's own loader).
import type { DatabaseSync, StatementSync } from 'node:sqlite';

/** The log's last row as a plan saw it; null for an empty log. */
export type LogTail = { position: number; id: string } | null;

/** The columns of one row, in insert order: position, id, stream, revision, type, agency, case_id, body, hash. */
export type RowValues = [number, string, string, number, string, string, string | null, string, string];

export type CommitStatus = 'ok' | 'conflict';

export type CommitStatements = { tail: StatementSync; insert: StatementSync };

export function prepareCommit(database: DatabaseSync): CommitStatements {
  const tail = database.prepare('SELECT position, id FROM events ORDER BY position DESC LIMIT 1');
  return {
    tail,
    insert: database.prepare('INSERT INTO events (position, id, stream, revision, type, agency, case_id, body, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)'),
  };
}

export function readTail(statements: CommitStatements): LogTail {
  const row = statements.tail.get() as { position: number; id: string } | undefined;
  return row ? { position: row.position, id: row.id } : null;
}

function sameTail(a: LogTail, b: LogTail): boolean {
  return a === null || b === null ? a === b : a.position === b.position && a.id === b.id;
}

/** One write transaction (one fsync when durable); throws on a storage error after rolling back. */
export function commitRows(database: DatabaseSync, statements: CommitStatements, expectedTail: LogTail, rows: readonly RowValues[]): CommitStatus {
  if (beginRows(database, statements, expectedTail) === 'conflict') return 'conflict';
  insertRows(database, statements, rows);
  finishRows(database);
  return 'ok';
}

/**
 * Opens the write transaction of a batch whose rows may come in parts: 'conflict' (and nothing
 * left open) when the log does not end where the plan assumed.
 */
export function beginRows(database: DatabaseSync, statements: CommitStatements, expectedTail: LogTail): CommitStatus {
  database.exec('BEGIN IMMEDIATE');
  try {
    if (sameTail(readTail(statements), expectedTail)) return 'ok';
    database.exec('ROLLBACK');
    return 'conflict';
  } catch (error) {
    abortRows(database);
    throw error;
  }
}

/** Rows of the open batch; on a storage error the batch is rolled back and the error thrown. */
export function insertRows(database: DatabaseSync, statements: CommitStatements, rows: readonly RowValues[]): void {
  try {
    for (const row of rows) statements.insert.run(...row);
  } catch (error) {
    abortRows(database);
    throw error;
  }
}

/** Commits the open batch (its fsync when durable). */
export function finishRows(database: DatabaseSync): void {
  try {
    database.exec('COMMIT');
  } catch (error) {
    abortRows(database);
    throw error;
  }
}

/** Rolls back whatever the batch left open. */
export function abortRows(database: DatabaseSync): void {
  if (database.isTransaction) database.exec('ROLLBACK');
}
