// Against a real broker: kafkajs gives up on a consumer whose handler fails with a non-retriable
// error (its CRASH says restart: false). The supervisor starts a fresh consumer, which reads the
// uncommitted message again; nothing is skipped. And a relay whose producer failed makes a new one.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kafka, logLevel } from 'kafkajs';
import type { Producer } from 'kafkajs';
import { newId } from '@nrm/contracts';
import { createSqliteEventStore } from '@nrm/eventstore';
import { testEvents } from '@nrm/eventstore/testing';
import { createKafkaBus } from './kafka-bus.ts';
import { kafkaTestBrokers } from './kafka-test-brokers.ts';
import { ensureTopics } from './kafka-topics.ts';
import { startOutboxRelay } from './outbox-relay.ts';
import { superviseConsumer } from './supervised-consumer.ts';

const found = await kafkaTestBrokers();
const namespace = `sup${newId().toLowerCase()}.`;
const topic = `${namespace}numbers`;
let kafka: Kafka;

async function until(what: string, check: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe.skipIf(!found.brokers)(`supervised Kafka clients${found.skipReason ? ` (skipped: ${found.skipReason})` : ''}`, () => {
  beforeAll(async () => {
    kafka = new Kafka({ clientId: 'supervisor-test', brokers: found.brokers!, logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    await admin.disconnect();
  }, 60_000);
  afterAll(async () => {
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: (await admin.listTopics()).filter((name) => name.startsWith(namespace)) }).catch(() => undefined);
    await admin.disconnect();
  }, 60_000);

  it('starts a fresh consumer when kafkajs gives up on one, and the failed message is read again', async () => {
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, acks: -1, messages: ['one', 'two', 'three'].map((value) => ({ value })) });
    await producer.disconnect();

    const handled: string[] = [];
    const errors: unknown[] = [];
    let failed = false;
    const supervised = superviseConsumer(kafka, {
      groupId: `${namespace}readers`,
      topics: [topic],
      initialBackoffMs: 100,
      onError: (error) => errors.push(error),
      run: () => ({
        eachMessage: async ({ message }) => {
          const value = String(message.value);
          if (value === 'two' && !failed) {
            failed = true;
            // retriable: false makes kafkajs crash the consumer without restarting it.
            throw Object.assign(new Error('a fault kafkajs does not retry'), { retriable: false });
          }
          handled.push(value);
        },
      }),
    });
    try {
      await until('all three messages', () => handled.includes('three'), 60_000);
      expect(supervised.restarts()).toBe(1);
      expect(String(errors[0])).toMatch(/does not retry/);
      // 'one' may be read twice (committed lazily); 'two' is not skipped; order per partition holds.
      expect([...new Set(handled)]).toEqual(['one', 'two', 'three']);
    } finally {
      await supervised.stop();
    }
  }, 90_000);

  it('the outbox relay retires a producer whose send failed and publishes everything through a new one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nrm-supervised-relay-'));
    const store = createSqliteEventStore({ path: join(dir, 'events.db'), durability: 'normal', pollIntervalMs: 20 });
    const bus = createKafkaBus({ brokers: found.brokers!, clientId: 'relay-retire-test', namespace: `${namespace}r.` });
    const admin = bus.kafka.admin();
    await admin.connect();
    await ensureTopics(admin, bus.topics, { partitions: 1 });
    await admin.disconnect();
    await store.append(`intake-case-${newId()}`, testEvents(20));

    const made: Producer[] = [];
    const errors: unknown[] = [];
    const relay = startOutboxRelay({
      store,
      topics: bus.topics,
      agencies: ['intake'],
      onError: (error) => errors.push(error),
      newProducer: () => {
        const producer = bus.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
        // The first producer is refused as one out of step with the broker would be.
        if (made.length === 0) producer.sendBatch = () => Promise.reject(new Error('The broker received an out of order sequence number'));
        made.push(producer);
        return producer;
      },
    });
    try {
      await until('the relay to publish 20 events', () => relay.published() >= 20);
      expect(made).toHaveLength(2);
      expect(errors.map(String)).toEqual(['Error: The broker received an out of order sequence number']);
    } finally {
      await relay.stop();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
