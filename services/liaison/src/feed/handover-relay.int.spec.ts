// The handover topic against a real Kafka broker: packets to two countries' desks are published
// keyed by country, in issue order, and a restarted relay resumes after its checkpoint instead
// of publishing everything again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKafkaBus, ensureTopics } from '@nrm/bus';
import { kafkaTestBrokers } from '@nrm/bus/testing';
import { examplePayloads } from '@nrm/contracts/testing';
import { newId } from '@nrm/contracts';
import type { HandoverPacketIssued } from '@nrm/contracts';
import { createSqliteProjectionStore } from '@nrm/projections';
import { createLiaisonBook } from '../packets/liaison-book.ts';
import { createFeedSignal } from './feed-routes.ts';
import { startHandoverRelay } from './handover-relay.ts';

const found = await kafkaTestBrokers();
const namespace = `liaison${newId().toLowerCase()}.`;
let bus: ReturnType<typeof createKafkaBus>;
const projections = createSqliteProjectionStore({ path: ':memory:' });
const book = createLiaisonBook(projections);
const signal = createFeedSignal();

function packet(deskId: string, country: string) {
  const packetId = newId();
  return { packetId, deskId, country, caseId: newId(), handoverId: newId(), stage: 'planned', issuedAt: new Date().toISOString(), acknowledgeBy: new Date().toISOString(), jws: `eyJ.${packetId}.sig`, issued: examplePayloads['liaison.HandoverPacketIssued'] as HandoverPacketIssued };
}

describe.skipIf(!found.brokers)(`handover relay${found.skipReason ? ` (skipped: ${found.skipReason})` : ''}`, () => {
  beforeAll(async () => {
    bus = createKafkaBus({ brokers: found.brokers!, clientId: 'liaison-relay-test', namespace });
    const admin = bus.kafka.admin();
    await admin.connect();
    await ensureTopics(admin, bus.topics, { partitions: 3 });
    await admin.disconnect();
  }, 60_000);
  afterAll(async () => {
    const admin = bus?.kafka.admin();
    if (admin) {
      await admin.connect();
      await admin.deleteTopics({ topics: (await admin.listTopics()).filter((topic) => topic.startsWith(namespace)) }).catch(() => undefined);
      await admin.disconnect();
    }
    await projections.close();
  }, 60_000);

  it('publishes every packet keyed by country, in order per country, once per checkpoint', async () => {
    const sent = [packet('kh-bavet', 'KH'), packet('la-cau-treo', 'LA'), packet('kh-bavet', 'KH'), packet('cn-mong-cai', 'CN')];
    for (const one of sent) await book.savePacket(one);
    const relay = startHandoverRelay({ book, newProducer: () => bus.kafka.producer({ idempotent: true, maxInFlightRequests: 1 }), topic: bus.topics.handover, signal, pollMs: 50 });
    const deadline = Date.now() + 20_000;
    while ((await book.loadCheckpoint('handover-relay')) < 4 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    await relay.stop();

    // Restarted with one more packet: only that one is published.
    const late = packet('kh-bavet', 'KH');
    await book.savePacket(late);
    const again = startHandoverRelay({ book, newProducer: () => bus.kafka.producer({ idempotent: true, maxInFlightRequests: 1 }), topic: bus.topics.handover, signal, pollMs: 50 });
    while ((await book.loadCheckpoint('handover-relay')) < 5 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    await again.stop();

    const received: { key: string; packetId: string; deskId: string; seq: number }[] = [];
    const consumer = bus.kafka.consumer({ groupId: `${namespace}desk-reader` });
    await consumer.connect();
    await consumer.subscribe({ topics: [bus.topics.handover], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const value = JSON.parse(message.value!.toString('utf8')) as { packetId: string; deskId: string; seq: number };
        received.push({ key: message.key!.toString('utf8'), packetId: value.packetId, deskId: value.deskId, seq: value.seq });
      },
    });
    while (received.length < 5 && Date.now() < deadline + 10_000) await new Promise((resolve) => setTimeout(resolve, 50));
    await consumer.disconnect();

    expect(received).toHaveLength(5);
    for (const one of [...sent, late]) expect(received.filter((message) => message.packetId === one.packetId)).toEqual([{ key: one.country, packetId: one.packetId, deskId: one.deskId, seq: expect.any(Number) }]);
    expect(received.filter((message) => message.key === 'KH').map((message) => message.seq)).toEqual([1, 2, 3]);
  }, 60_000);
});
