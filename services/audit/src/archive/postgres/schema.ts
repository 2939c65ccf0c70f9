// The archive's PostgreSQL layout, in the service's schema. `envelope` is TEXT, not JSONB: JSONB
// reorders keys and would lose the canonical bytes the Merkle log hashes. The single-row head
// is the append lock: every `record` takes it FOR UPDATE before reading the next sequence, so
// sequences stay dense and in commit order under concurrent writers.
export const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

export function postgresArchiveSchema(schema: string): string {
  const s = `"${schema}"`;
  return `
CREATE SCHEMA IF NOT EXISTS ${s};
CREATE TABLE IF NOT EXISTS ${s}.audit_archive (
  sequence    BIGINT PRIMARY KEY CHECK (sequence >= 0),
  id          TEXT   NOT NULL UNIQUE,
  case_id     TEXT,
  agency      TEXT   NOT NULL,
  type        TEXT   NOT NULL,
  recorded_at TEXT   NOT NULL,
  archived_at TEXT   NOT NULL,
  hash        TEXT   NOT NULL,
  envelope    TEXT   NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_archive_case ON ${s}.audit_archive (case_id, sequence);
CREATE TABLE IF NOT EXISTS ${s}.audit_archive_head (
  singleton BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (singleton),
  sequence  BIGINT  NOT NULL
);
INSERT INTO ${s}.audit_archive_head (singleton, sequence) VALUES (TRUE, -1) ON CONFLICT DO NOTHING;
`;
}
