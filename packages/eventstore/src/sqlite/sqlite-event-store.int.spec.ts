import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeEventStoreConformance } from '../testing/conformance.ts';
import { createSqliteEventStore } from './sqlite-event-store.ts';

// Twice: with its writer thread started before the suite uses it, and with verifyAll on threads
// from the first event, so the threaded check (sqlite-parallel-verify.ts) meets every case the
// suite has, tampering included; that one is used at once, so its first batches are written on
// the main thread while the writer thread starts (sqlite-append-pipeline.ts).
const variants = [
  ['sqlite (writer thread started)', undefined, true],
  ['sqlite (verifyAll on threads, used before its writer thread starts)', 1, false],
] as const;
for (const [name, parallelVerifyMinEvents, waitForWriter] of variants) describeEventStoreConformance(name, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nrm-sqlite-'));
  const path = join(dir, 'events.db');
  const store = createSqliteEventStore({ path, parallelVerifyMinEvents });
  if (waitForWriter) await store.writerStarted;
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
