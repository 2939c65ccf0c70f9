// The PostgreSQL layout, one schema per store. `body` is TEXT, not JSONB: JSONB reorders keys
// and would lose the exact RFC 8785 bytes the hash covers. The single-row `head` table is the
// append lock: every commit takes it FOR UPDATE, so positions are dense and commit-ordered and
// a subscriber reading up to the head never skips an event still in flight.
export function postgresSchema(schema: string): string {
  return `
CREATE SCHEMA IF NOT EXISTS ${schema};
CREATE TABLE IF NOT EXISTS ${schema}.events (
  position BIGINT  PRIMARY KEY,
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
CREATE TABLE IF NOT EXISTS ${schema}.head (
  singleton BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (singleton),
  position  BIGINT  NOT NULL
);
INSERT INTO ${schema}.head (singleton, position) VALUES (TRUE, -1) ON CONFLICT DO NOTHING;
CREATE TABLE IF NOT EXISTS ${schema}.checkpoints (
  name       TEXT PRIMARY KEY,
  position   BIGINT NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
`;
}

export const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,40}$/;
