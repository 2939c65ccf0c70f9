// The archive's SQLite layout, usually in the service's own database file beside its events.
// `sequence` is the rowid: a case's history is one range of the (case_id, sequence) index and
// then one rowid lookup per event, whatever the archive's size.
export const SQLITE_ARCHIVE_SCHEMA = `
CREATE TABLE IF NOT EXISTS audit_archive (
  sequence    INTEGER PRIMARY KEY CHECK (sequence >= 0),
  id          TEXT    NOT NULL UNIQUE,
  case_id     TEXT,
  agency      TEXT    NOT NULL,
  type        TEXT    NOT NULL,
  recorded_at TEXT    NOT NULL,
  archived_at TEXT    NOT NULL,
  hash        TEXT    NOT NULL,
  envelope    TEXT    NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS audit_archive_case ON audit_archive (case_id, sequence);
`;
