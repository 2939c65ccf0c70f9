// The outbox relay against a real broker: sends are capped by bytes as well as by count, so a
// large batch of large events is split instead of being refused by the broker (and retried
// forever); and a traced event's message names the relay's producer span as its parent.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '@nrm/contracts';
import { createSqliteEventStore } from '@nrm/eventstore';
import type { EventStore } from '@nrm/eventstore';
import { testEvents } from '@nrm/eventstore/testing';
import { createKafkaBus } from './kafka-bus.ts';
import { kafkaTestBrokers } from './kafka-test-brokers.ts';
import { ensureTopics } from './kafka-topics.ts';
import { startOutboxRelay } from './outbox-relay.ts';

const found = await kafkaTestBrokers();
const namespace = `relay${newId().toLowerCase()}.`;
const dir = mkdtempSync(join(tmpdir(), 'nrm-relay-'));
let store: EventStore;
let bus: ReturnType<typeof createKafkaBus>;

describe.skipIf(!found.brokers)(`outbox relay${found.skipReason ? ` (skipped: ${found.skipReason})` : ''}`, () => {
  beforeAll(async () => {
    store = createSqliteEventStore({ path: join(dir, 'events.db'), durability: 'normal', pollIntervalMs: 20 });
    bus = createKafkaBus({ brokers: found.brokers!, clientId: 'relay-test', namespace });
    const admin = bus.kafka.admin();
    await admin.connect();
    await ensureTopics(admin, bus.topics, { partitions: 1 });
    await admin.disconnect();
  }, 60_000);
  afterAll(async () => {
    const admin = bus.kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: (await admin.listTopics()).filter((topic) => topic.startsWith(namespace)) }).catch(() => undefined);
    await admin.disconnect();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('splits a batch that would exceed the broker’s message size, and carries the trace', async () => {
    // 1,500 events of ~2 KB on one partition: 3 MB if sent as one batch, three times the broker's limit.
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const stream = `intake-case-${newId()}`;
    await store.append(stream, testEvents(1500, { data: { note: 'x'.repeat(2000) }, traceparent }));
    const errors: unknown[] = [];
    const relay = startOutboxRelay({ store, newProducer: () => bus.kafka.producer({ idempotent: true, maxInFlightRequests: 1 }), agencies: ['intake'], topics: bus.topics, batchSize: 5000, onError: (error) => errors.push(error) });
    try {
      const deadline = Date.now() + 30_000;
      while (relay.published() < 1500 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(errors).toEqual([]);
      expect(relay.published()).toBe(1500);
    } finally {
      await relay.stop();
    }

    const consumer = bus.kafka.consumer({ groupId: `${namespace}reader` });
    await consumer.connect();
    await consumer.subscribe({ topics: [bus.topics.events('intake')], fromBeginning: true });
    const header = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no message read within 20 s')), 20_000);
      void consumer.run({
        eachMessage: async ({ message }) => {
          clearTimeout(timer);
          resolve(String(message.headers?.traceparent));
        },
      });
    });
    await consumer.disconnect();
    // Without a tracing SDK the producer span is the recording command's context passed through.
    expect(header).toBe(traceparent);
  }, 90_000);
});
