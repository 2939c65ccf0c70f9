import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqliteEventStore } from '@nrm/eventstore';
import { describeBusConformance } from './testing/bus-conformance.ts';
import { createEmbeddedBus } from './embedded-bus.ts';

describeBusConformance('embedded (sqlite)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nrm-bus-'));
  const path = join(dir, 'events.db');
  const store = createSqliteEventStore({ path, pollIntervalMs: 100 });
  const bus = createEmbeddedBus(store);
  const reopened: { close(): Promise<void> }[] = [];
  return {
    bus,
    append: async (stream, events) => (await store.append(stream, events)).events,
    async reopen() {
      const again = createSqliteEventStore({ path, pollIntervalMs: 100 });
      reopened.push(again);
      return createEmbeddedBus(again);
    },
    async cleanup() {
      await bus.close();
      for (const other of reopened) await other.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
