import pg from 'pg';
import { newId } from '@nrm/contracts';
import { describeEventStoreConformance } from '../testing/conformance.ts';
import { createPostgresEventStore } from './postgres-event-store.ts';
import { postgresTestUrl } from '../testing/postgres-test-url.ts';

const url = postgresTestUrl();

describeEventStoreConformance('postgres', async () => {
  const schema = `nrm_test_${newId().toLowerCase()}`;
  const store = await createPostgresEventStore({ connectionString: url, schema, pollIntervalMs: 200 });
  const reopened: Awaited<ReturnType<typeof createPostgresEventStore>>[] = [];
  return {
    store,
    async reopen() {
      const another = await createPostgresEventStore({ connectionString: url, schema, pollIntervalMs: 200 });
      reopened.push(another);
      return another;
    },
    async tamper(position) {
      await store.pool.query(`UPDATE ${schema}.events SET body = replace(body, 'original', 'originaL') WHERE position = $1`, [position]);
    },
    async cleanup() {
      for (const another of reopened) await another.close();
      await store.close();
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    },
  };
});
