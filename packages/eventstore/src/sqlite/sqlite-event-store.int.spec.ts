import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeEventStoreConformance } from '../testing/conformance.ts';
import { createSqliteEventStore } from './sqlite-event-store.ts';

// Twice: as configured by default, and with verifyAll on threads from the first event, so the
// threaded check (sqlite-parallel-verify.ts) meets every case the suite has, tampering included.
for (const [name, parallelVerifyMinEvents] of [['sqlite', undefined], ['sqlite (verifyAll on threads)', 1]] as const) describeEventStoreConformance(name, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nrm-sqlite-'));
  const path = join(dir, 'events.db');
  const store = createSqliteEventStore({ path, parallelVerifyMinEvents });
  const reopened: ReturnType<typeof createSqliteEventStore>[] = [];
  return {
    store,
    async reopen() {
      const another = createSqliteEventStore({ path, parallelVerifyMinEvents });
      reopened.push(another);
      return another;
    },
    async tamper(position) {
      store.database.prepare("UPDATE events SET body = replace(body, 'original', 'originaL') WHERE position = ?").run(position);
    },
    async cleanup() {
      await store.close();
      for (const another of reopened) await another.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
