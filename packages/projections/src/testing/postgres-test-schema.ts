// A throwaway PostgreSQL schema per test suite: the tests of this package and of services that
// keep projections in PostgreSQL create one, and drop it (with everything in it) when done.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { postgresTestUrl } from '@nrm/eventstore/testing';

export function randomTestSchema(prefix = 'projections_test'): string {
  return `${prefix}_${randomBytes(6).toString('hex')}`;
}

export async function dropTestSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: postgresTestUrl() });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}
