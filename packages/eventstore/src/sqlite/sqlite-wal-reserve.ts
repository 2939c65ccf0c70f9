// Pre-sizing the write-ahead log. A durable commit that appends to the end of the WAL file grows
// it, and on ext4 an fsync that carries a size change costs a journal commit on top of the data
// flush: on this VM a fresh store's first ~1,300 single appends ran at ~1,700/s and the rest, once
// the first checkpoint had restarted the WAL and commits overwrote frames already on disk, at
// ~3,500/s. SQLite deletes the WAL when the last connection closes, so every open starts slow.
//
// The reserve fills the WAL up to the autocheckpoint size once at open, without committing
// anything: a write transaction with a tiny page cache spills its pages into the WAL as
// uncommitted frames, then rolls back. Readers and later writers ignore uncommitted frames (the
// next commit overwrites them in place), the database file is not touched, and another process's
// data is safe because the fill holds the write lock like any writer. If SQLite ever stops
// spilling this way, the reserve simply does nothing.
import { statSync } from 'node:fs';
import type { DatabaseSync } from 'node:sqlite';
import { WAL_AUTOCHECKPOINT_PAGES } from './schema.ts';

/** The fill's page cache: small, so that its pages spill into the WAL as they are written. */
const SPILL_CACHE_PAGES = 16;

/** Fills the WAL of the store at `path` to `frames` frames, unless it is that large already. */
export function reserveWal(database: DatabaseSync, path: string, frames = WAL_AUTOCHECKPOINT_PAGES): void {
  const pageSize = (database.prepare('PRAGMA page_size').get() as { page_size: number }).page_size;
  // A WAL frame is a 24-byte header and one page, after the WAL's 32-byte header.
  const wanted = 32 + frames * (24 + pageSize);
  if (walSize(path) >= wanted) return;
  const cacheSize = (database.prepare('PRAGMA cache_size').get() as { cache_size: number }).cache_size;
  database.exec(`PRAGMA cache_size = ${SPILL_CACHE_PAGES}`);
  try {
    database.exec('BEGIN IMMEDIATE');
  } catch {
    // Another process holds the write lock: it is writing, so the WAL is growing anyway.
    database.exec(`PRAGMA cache_size = ${cacheSize}`);
    return;
  }
  try {
    database.exec('CREATE TABLE nrm_wal_reserve (filler BLOB)');
    const fill = database.prepare('INSERT INTO nrm_wal_reserve VALUES (zeroblob(?))');
    // One row per page: the blob leaves room for the page header and cell overhead. The last
    // pages stay in the 16-page cache instead of spilling, hence 16 rows more.
    const perRow = pageSize - 100;
    for (let written = 0; written < frames + SPILL_CACHE_PAGES; written++) fill.run(perRow);
  } finally {
    database.exec(`ROLLBACK; PRAGMA cache_size = ${cacheSize}`);
  }
}

function walSize(path: string): number {
  try {
    return statSync(`${path}-wal`).size;
  } catch {
    return 0;
  }
}
