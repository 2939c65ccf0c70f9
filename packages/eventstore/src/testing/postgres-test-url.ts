// Where the PostgreSQL tests connect: NRM_TEST_POSTGRES_URL, else the machine's local server
// (127.0.0.1:5432, database `test`). Each test works in its own schema and drops it.
export function postgresTestUrl(): string {
  return process.env.NRM_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
}
