// The SQLite layout, in the service's own database file beside its events, so one backup holds
// the log and the read models built from it. Tags get their own rows carrying the sort key:
// listing a partition by tag then walks one index range in order instead of filtering documents.
export const SQLITE_PROJECTION_SCHEMA = `
CREATE TABLE IF NOT EXISTS projection_documents (
  projection TEXT NOT NULL,
  key        TEXT NOT NULL,
  partition  TEXT NOT NULL,
  sort_key   TEXT NOT NULL,
  tags       TEXT NOT NULL,
  doc        TEXT NOT NULL,
  PRIMARY KEY (projection, key)
) STRICT;
CREATE INDEX IF NOT EXISTS projection_documents_order ON projection_documents (projection, partition, sort_key, key);
CREATE TABLE IF NOT EXISTS projection_tags (
  projection TEXT NOT NULL,
  partition  TEXT NOT NULL,
  tag        TEXT NOT NULL,
  sort_key   TEXT NOT NULL,
  key        TEXT NOT NULL,
  PRIMARY KEY (projection, partition, tag, sort_key, key)
) STRICT, WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS projection_tags_key ON projection_tags (projection, key);
CREATE TABLE IF NOT EXISTS projection_checkpoints (
  projection TEXT PRIMARY KEY,
  position   INTEGER NOT NULL,
  version    INTEGER NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;
`;
