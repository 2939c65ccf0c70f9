import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { postgresTestUrl } from '@nrm/eventstore/testing';
import type { ArchiveStore } from '../archive-store.ts';
import { describeArchiveConformance } from '../testing/archive-conformance.ts';
import { createPostgresArchiveStore } from './postgres-archive-store.ts';

const connectionString = postgresTestUrl();
const testSchema = () => `archive_test_${randomBytes(6).toString('hex')}`;

async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

describeArchiveConformance('postgres', async () => {
  const schema = testSchema();
  const archives: ArchiveStore[] = [await createPostgresArchiveStore({ connectionString, schema })];
  return {
    archive: archives[0]!,
    async reopen() {
      archives.push(await createPostgresArchiveStore({ connectionString, schema }));
      return archives[archives.length - 1]!;
    },
    async cleanup() {
      for (const archive of archives) await archive.close();
      await dropSchema(schema);
    },
  };
});

describe('postgres archive', () => {
  it('refuses a schema name that is not a plain identifier', async () => {
    await expect(createPostgresArchiveStore({ connectionString, schema: 'x"; DROP TABLE y; --' })).rejects.toThrow(/plain SQL identifier/);
  });

  it('migrates once when several processes open the same schema at the same moment', async () => {
    const schema = testSchema();
    const archives = await Promise.all(Array.from({ length: 4 }, () => createPostgresArchiveStore({ connectionString, schema })));
    try {
      expect(await Promise.all(archives.map((archive) => archive.count()))).toEqual([0, 0, 0, 0]);
    } finally {
      for (const archive of archives) await archive.close();
      await dropSchema(schema);
    }
  });
});
