// Read-only connections of the verification's own on SQLite files, so several threads can read
// at once and nothing is ever written. Memory-mapped: reading through the page cache instead
// made the 1M-event verification a third slower.
import { DatabaseSync } from 'node:sqlite';
import type { RecordedEvent } from '@nrm/contracts';

export const MMAP_BYTES = 2 ** 40;

export function openReadOnly(path: string): DatabaseSync {
  const database = new DatabaseSync(path, { readOnly: true, timeout: 5_000 });
  database.exec(`PRAGMA mmap_size = ${MMAP_BYTES}`);
  return database;
}

function withDatabase<T>(path: string, read: (database: DatabaseSync) => T): T {
  const database = openReadOnly(path);
  try {
    return read(database);
  } finally {
    database.close();
  }
}

export function sqliteStoreHead(path: string): number {
  return withDatabase(path, (database) => (database.prepare('SELECT COALESCE(MAX(position), -1) AS head FROM events').get() as { head: number }).head);
}

export type StoredRow = { position: number; body: string; hash: string };

export function sqliteStoredRows(path: string, positions: readonly number[]): StoredRow[] {
  return withDatabase(path, (database) => {
    const row = database.prepare('SELECT position, body, hash FROM events WHERE position = ?');
    return positions.map((position) => row.get(position) as StoredRow | undefined).filter((found) => found !== undefined);
  });
}

/** Every stored row from `position` on, in position order, a page at a time. */
export function* sqliteStoredRowsFrom(path: string, position: number): Generator<StoredRow> {
  const database = openReadOnly(path);
  try {
    const page = database.prepare('SELECT position, body, hash FROM events WHERE position >= ? ORDER BY position LIMIT 1000');
    for (let from = position; ; ) {
      const rows = page.all(from) as StoredRow[];
      yield* rows;
      if (rows.length < 1000) return;
      from = rows[rows.length - 1]!.position + 1;
    }
  } finally {
    database.close();
  }
}

/** The stored event at `position`, parsed, to say where a discrepancy is. */
export function sqliteStoredEventAt(path: string, position: number): RecordedEvent | undefined {
  const [row] = sqliteStoredRows(path, [position]);
  return row ? { ...(JSON.parse(row.body) as RecordedEvent), position: row.position, hash: row.hash } : undefined;
}

/** The archived event at `sequence` (or the next one there is), parsed. */
export function sqliteArchivedEventAt(path: string, sequence: number): RecordedEvent | undefined {
  return withDatabase(path, (database) => {
    const row = database.prepare('SELECT envelope FROM audit_archive WHERE sequence >= ? ORDER BY sequence LIMIT 1').get(sequence) as { envelope: string } | undefined;
    return row ? (JSON.parse(row.envelope) as RecordedEvent) : undefined;
  });
}

export type ArchivedRow = { sequence: number; id: string; envelope: string };

/** Archived rows by sequence, in runs of consecutive sequences (one range read per run). */
export function sqliteArchivedRows(path: string, sequences: readonly number[]): ArchivedRow[] {
  return withDatabase(path, (database) => {
    const range = database.prepare('SELECT sequence, id, envelope FROM audit_archive WHERE sequence >= ? AND sequence <= ? ORDER BY sequence');
    const rows: ArchivedRow[] = [];
    for (let start = 0; start < sequences.length; ) {
      let end = start;
      while (end + 1 < sequences.length && sequences[end + 1] === sequences[end]! + 1) end++;
      rows.push(...(range.all(sequences[start]!, sequences[end]!) as ArchivedRow[]));
      start = end + 1;
    }
    return rows;
  });
}

/** Where the archive holds each id (by its id column); ids it does not hold are left out. */
export function sqliteArchiveSequencesOf(path: string, ids: readonly string[]): Map<string, number> {
  return withDatabase(path, (database) => {
    const lookup = database.prepare('SELECT sequence FROM audit_archive WHERE id = ?');
    const found = new Map<string, number>();
    for (const id of ids) {
      const row = lookup.get(id) as { sequence: number } | undefined;
      if (row) found.set(id, row.sequence);
    }
    return found;
  });
}

/** How many sequences the archive spans: its highest + 1 (sequences are the rowid, from 0). */
export function sqliteArchiveSize(path: string): number {
  return withDatabase(path, (database) => (database.prepare('SELECT COALESCE(MAX(sequence), -1) + 1 AS size FROM audit_archive').get() as { size: number }).size);
}

/** Which of the first `size` sequences the archive holds, one flag each. */
export function sqliteArchivePresence(path: string, size: number): Uint8Array {
  return withDatabase(path, (database) => {
    const present = new Uint8Array(size);
    const all = database.prepare('SELECT sequence FROM audit_archive WHERE sequence < ?');
    all.setReturnArrays(true);
    for (const [sequence] of all.iterate(size) as Iterable<[number]>) present[sequence] = 1;
    return present;
  });
}
