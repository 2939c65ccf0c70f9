// The PostgreSQL layout, in the schema of the service's event store. Text columns use the "C"
// collation: lists then order by code point exactly as SQLite does, whatever the database's
// locale, and a cursor means the same thing on either adapter. Documents are stored as TEXT,
// not JSONB, so what a projection put is what it gets back, byte for byte.
export function postgresProjectionSchema(schema: string): string {
  const s = `"${schema}"`;
  return `
CREATE SCHEMA IF NOT EXISTS ${s};
CREATE TABLE IF NOT EXISTS ${s}.projection_documents (
  projection TEXT COLLATE "C" NOT NULL,
  key        TEXT COLLATE "C" NOT NULL,
  partition  TEXT COLLATE "C" NOT NULL,
  sort_key   TEXT COLLATE "C" NOT NULL,
  tags       TEXT NOT NULL,
  doc        TEXT NOT NULL,
  PRIMARY KEY (projection, key)
);
CREATE INDEX IF NOT EXISTS projection_documents_order ON ${s}.projection_documents (projection, partition, sort_key, key);
CREATE TABLE IF NOT EXISTS ${s}.projection_tags (
  projection TEXT COLLATE "C" NOT NULL,
  partition  TEXT COLLATE "C" NOT NULL,
  tag        TEXT COLLATE "C" NOT NULL,
  sort_key   TEXT COLLATE "C" NOT NULL,
  key        TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (projection, partition, tag, sort_key, key)
);
CREATE INDEX IF NOT EXISTS projection_tags_key ON ${s}.projection_tags (projection, key);
CREATE TABLE IF NOT EXISTS ${s}.projection_checkpoints (
  projection TEXT COLLATE "C" PRIMARY KEY,
  position   BIGINT NOT NULL,
  version    INTEGER NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
`;
}

export const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
