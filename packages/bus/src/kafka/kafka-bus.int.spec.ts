// The Kafka adapter runs the same Bus conformance suite as the embedded bus, against a real
// broker (KAFKA_BROKERS, or the one infra/kafka/kafka.sh starts), with the outbox relay
// carrying events from a real SQLite store to the topics. Without a broker: skipped, with why.
import { vi } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SERVICES, newId } from '@nrm/contracts';
import { createSqliteEventStore } from '@nrm/eventstore';
import { describeBusConformance } from '../testing/bus-conformance.ts';
import { createKafkaBus } from './kafka-bus.ts';
import { kafkaTestBrokers } from './kafka-test-brokers.ts';
import { ensureTopics } from './kafka-topics.ts';
import { startOutboxRelay } from './outbox-relay.ts';

// Each case creates and later deletes its own 22 topics on a real broker, inside the case's time:
// a broker that is slow to settle topic metadata must not fail a case that is only waiting.
vi.setConfig({ testTimeout: 30_000 });

const found = await kafkaTestBrokers();

describeBusConformance(
  'kafka',
  async () => {
    const namespace = `t${newId().toLowerCase()}.`;
    const dir = mkdtempSync(join(tmpdir(), 'nrm-kafka-bus-'));
    const store = createSqliteEventStore({ path: join(dir, 'events.db'), durability: 'normal', pollIntervalMs: 50 });
    const bus = createKafkaBus({ brokers: found.brokers!, clientId: 'conformance', namespace });
    const admin = bus.kafka.admin();
    await admin.connect();
    await ensureTopics(admin, bus.topics, { partitions: 3 });
    const relay = startOutboxRelay({ store, newProducer: () => bus.kafka.producer({ idempotent: true, maxInFlightRequests: 1 }), agencies: SERVICES, topics: bus.topics });
    const others: { close(): Promise<void> }[] = [];
    return {
      bus,
      append: async (stream, events) => (await store.append(stream, events)).events,
      async reopen() {
        const again = createKafkaBus({ brokers: found.brokers!, clientId: 'conformance-again', namespace });
        others.push(again);
        return again;
      },
      async cleanup() {
        for (const other of others) await other.close();
        await bus.close();
        await relay.stop();
        await admin.deleteTopics({ topics: (await admin.listTopics()).filter((topic) => topic.startsWith(namespace)) }).catch(() => undefined);
        await admin.disconnect();
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
  found.skipReason,
);
