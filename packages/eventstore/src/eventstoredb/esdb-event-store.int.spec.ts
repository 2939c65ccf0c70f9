// EventStoreDB runs the same conformance suite wherever a server is reachable: NRM_ESDB_URL
// names one, or testcontainers starts one where a container runtime exists. Otherwise the suite
// is reported as skipped with the reason (no EventStoreDB server can run on a machine without one).
import { describeEventStoreConformance } from '../testing/conformance.ts';
import { esdbTestServer } from '../testing/esdb-test-server.ts';
import { createEsdbEventStore } from './esdb-event-store.ts';

const server = await esdbTestServer();

describeEventStoreConformance(
  'eventstoredb',
  async () => {
    const store = createEsdbEventStore({ connectionString: server.url!, pollIntervalMs: 200 });
    const reopened: ReturnType<typeof createEsdbEventStore>[] = [];
    return {
      store,
      async reopen() {
        const another = createEsdbEventStore({ connectionString: server.url!, pollIntervalMs: 200 });
        reopened.push(another);
        return another;
      },
      async cleanup() {
        for (const another of reopened) await another.close();
        await store.close();
      },
    };
  },
  server.skipReason,
);

if (server.stop) {
  const { afterAll } = await import('vitest');
  afterAll(server.stop, 120_000);
}
