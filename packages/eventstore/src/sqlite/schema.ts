// The SQLite layout. `body` is the exact RFC 8785 text the hash covers, so verification
// re-hashes the bytes on disk; the other columns are indexes derived from it (and checked
// against it by verifyAll). Positions are assigned by the store, 0-based and dense.
// There is deliberately no index on case_id: every index a commit touches at scattered places
// is another page to fsync, and a case index made durable group commits ~45% slower. Case
// lookups belong to read models built off the append path (the audit archive's case index).
export const SQLITE_SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  position INTEGER PRIMARY KEY,
  id       TEXT    NOT NULL UNIQUE,
  stream   TEXT    NOT NULL,
  revision INTEGER NOT NULL,
  type     TEXT    NOT NULL,
  agency   TEXT    NOT NULL,
  case_id  TEXT,
  body     TEXT    NOT NULL,
  hash     TEXT    NOT NULL,
  UNIQUE (stream, revision)
);
CREATE TABLE IF NOT EXISTS checkpoints (
  name       TEXT PRIMARY KEY,
  position   INTEGER NOT NULL,
  updated_at TEXT NOT NULL
);
`;

/**
 * How much of a log file a reading connection maps: all SQLite allows (it caps this at its
 * compile-time limit, 2 GiB in Node's build); past it pages are read one by one. Mapped, a cold
 * read takes the pages where the OS keeps them instead of one read call per page.
 */
export const SQLITE_MMAP_BYTES = 2 ** 40;

/** WAL frames after which a commit checkpoints and the WAL starts over (sqlite-wal-reserve.ts). */
export const WAL_AUTOCHECKPOINT_PAGES = 4000;

/**
 * Durable by default: WAL with synchronous=FULL fsyncs the log on every commit, so an
 * acknowledged append survives power loss. `NORMAL` is offered for tests and throwaway data.
 */
export function sqlitePragmas(durability: 'full' | 'normal'): string {
  return `
PRAGMA journal_mode = WAL;
PRAGMA synchronous = ${durability === 'full' ? 'FULL' : 'NORMAL'};
PRAGMA busy_timeout = 5000;
PRAGMA foreign_keys = ON;
PRAGMA temp_store = MEMORY;
PRAGMA cache_size = -65536;
PRAGMA wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES};
`;
}
