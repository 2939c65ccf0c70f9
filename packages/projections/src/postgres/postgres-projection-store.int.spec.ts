import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { postgresTestUrl } from '@nrm/eventstore/testing';
import { describeProjectionStoreConformance } from '../testing/projection-store-conformance.ts';
import { dropTestSchema, randomTestSchema } from '../testing/postgres-test-schema.ts';
import type { ProjectionStore } from '../projection-store.ts';
import { createPostgresProjectionStore } from './postgres-projection-store.ts';

const connectionString = postgresTestUrl();

describeProjectionStoreConformance('postgres, a pool of its own', async () => {
  const schema = randomTestSchema();
  const stores: ProjectionStore[] = [await createPostgresProjectionStore({ connectionString }, schema)];
  return {
    store: stores[0]!,
    async reopen() {
      stores.push(await createPostgresProjectionStore({ connectionString }, schema));
      return stores[stores.length - 1]!;
    },
    async cleanup() {
      for (const store of stores) await store.close();
      await dropTestSchema(schema);
    },
  };
});

describeProjectionStoreConformance("postgres, on the service's pool", async () => {
  const schema = randomTestSchema();
  const pool = new pg.Pool({ connectionString, max: 4 });
  return {
    store: await createPostgresProjectionStore({ pool }, schema),
    reopen: () => createPostgresProjectionStore({ pool }, schema),
    async cleanup() {
      await pool.end();
      await dropTestSchema(schema);
    },
  };
});

describe('postgres projection store', () => {
  const schema = randomTestSchema();
  const pool = new pg.Pool({ connectionString, max: 4 });
  afterAll(async () => {
    await pool.end();
    await dropTestSchema(schema);
  });

  it('loads the documents a unit of work reads in one query per round, then runs it once more', async () => {
    const store = await createPostgresProjectionStore({ pool }, schema);
    await store.transaction('loads', (tx) => {
      for (let i = 0; i < 50; i++) tx.put(`k${i}`, i, { partition: 'p', sortKey: '' });
    });
    const queries: string[] = [];
    const connect = pool.connect.bind(pool);
    const spied = Object.assign(Object.create(pool) as pg.Pool, {
      connect: async () => {
        const client = await connect();
        const query = client.query.bind(client) as (...args: unknown[]) => unknown;
        return Object.assign(Object.create(client) as pg.PoolClient, {
          query: (...args: unknown[]) => {
            queries.push(String(typeof args[0] === 'string' ? args[0] : (args[0] as { text: string }).text));
            return query(...args);
          },
        });
      },
    });
    const counting = await createPostgresProjectionStore({ pool: spied }, schema);
    queries.length = 0;
    let runs = 0;
    const sum = await counting.transaction('loads', (tx) => {
      runs++;
      let total = 0;
      for (let i = 0; i < 60; i++) total += (tx.get(`k${i}`)?.doc as number | undefined) ?? 0;
      tx.put('sum', total, { partition: 'p', sortKey: '' });
      return total;
    });
    expect(sum).toBe(1225);
    expect(runs).toBe(2);
    expect(queries.filter((text) => text.includes('key = ANY'))).toHaveLength(2);
    expect((await store.get('loads', 'sum'))?.doc).toBe(1225);
  });

  it('lists a tag of a partition by walking the tag index in order', async () => {
    await createPostgresProjectionStore({ pool }, schema);
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SET LOCAL enable_seqscan = off');
      const { rows } = await client.query<{ 'QUERY PLAN': string }>(
        `EXPLAIN SELECT d.key FROM "${schema}".projection_tags o JOIN "${schema}".projection_documents d ON d.projection = o.projection AND d.key = o.key
         WHERE o.projection = 'inbox' AND o.partition = 'p' AND o.tag = 't' AND (o.sort_key, o.key) > ('1', 'k') ORDER BY o.sort_key, o.key LIMIT 10`,
      );
      const plan = rows.map((row) => row['QUERY PLAN']).join('\n');
      expect(plan).toMatch(/Index (Only )?Scan using projection_tags_pkey/);
      expect(plan).not.toMatch(/Sort/);
      await client.query('ROLLBACK');
    } finally {
      client.release();
    }
  });
});
