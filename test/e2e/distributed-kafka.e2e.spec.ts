// Distributed mode end to end: the five agency services, audit and liaison, each its own `nrm
// start <service>` process with its own store (protection and audit on PostgreSQL, the others on
// SQLite), exchanging events over a real Kafka broker. One case goes from a tip to a closed
// reintegration case; then every message on the events topics is delivered a second time, and
// nothing is recorded twice. Without a broker: skipped, with the reason.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kafka, logLevel } from 'kafkajs';
import type { Message } from 'kafkajs';
import { kafkaTestBrokers } from '@nrm/bus/testing';
import { checkChain, createBackboneClient, DEMO_STORY, runReferralChain } from '@nrm/cli';
import type { BackboneClient } from '@nrm/cli';
import type { RecordedEvent } from '@nrm/contracts';
import { DISTRIBUTED_SERVICES, startDistributedBackbone, waitForNoConsumerLag } from './distributed-backbone.ts';
import type { DistributedBackbone } from './distributed-backbone.ts';

const found = await kafkaTestBrokers();
let backbone: DistributedBackbone | undefined;
let client: BackboneClient;

async function eventsOf(service: (typeof DISTRIBUTED_SERVICES)[number], caseId?: string): Promise<RecordedEvent[]> {
  const store = await backbone!.openStore(service);
  try {
    const events: RecordedEvent[] = [];
    for await (const event of store.readAll(caseId ? { filter: { caseIds: [caseId] } } : {})) events.push(event);
    return events;
  } finally {
    await store.close();
  }
}

describe.skipIf(!found.brokers)(`distributed backbone over Kafka${found.skipReason ? ` (skipped: ${found.skipReason})` : ''}`, () => {
  beforeAll(async () => {
    backbone = await startDistributedBackbone({ label: 'dist', brokers: found.brokers!, postgres: ['protection', 'audit'] });
    client = await createBackboneClient({ baseUrl: backbone.urls, dataDir: backbone.dataDir, retryForMs: 10_000 });
  }, 120_000);
  afterAll(async () => backbone?.stop(), 60_000);

  let caseId = '';

  it('carries a case from the tip to a closed reintegration case across five processes', async () => {
    ({ caseId } = await runReferralChain(client, DEMO_STORY));
    const chain = await checkChain(client, caseId);
    expect(chain.complete, 'the audit archive holds the whole chain').toBe(true);
    expect(chain.distinct).toBe(chain.events);

    // Each agency recorded its part in its own store; the receivers filed each referral once,
    // citing the ReferralIssued event that came to them over Kafka.
    const byAgency = new Map<string, RecordedEvent[]>();
    for (const service of ['intake', 'identification', 'rescue', 'protection', 'reintegration'] as const) byAgency.set(service, await eventsOf(service, caseId));
    for (const [agency, events] of byAgency) {
      expect(events.length, agency).toBeGreaterThan(0);
      expect(events.every((event) => event.agency === agency), `${agency} holds only its own events`).toBe(true);
    }
    const issued = [...byAgency.values()].flat().filter((event) => event.type.endsWith('.ReferralIssued'));
    const received = [...byAgency.values()].flat().filter((event) => event.type.endsWith('.ReferralReceived'));
    expect(issued).toHaveLength(4);
    expect(received.map((event) => event.causationId).sort()).toEqual(issued.map((event) => event.id).sort());
    expect(byAgency.get('reintegration')!.map((event) => event.type)).toContain('reintegration.ReintegrationCaseClosed');
    // The archive holds exactly what the agencies recorded, event for event.
    expect(new Set(chain.eventIds)).toEqual(new Set([...byAgency.values()].flat().map((event) => event.id)));
  });

  it('records nothing twice when every message on the events topics is delivered again', async () => {
    expect(caseId, 'the chain ran').not.toBe('');
    await waitForNoConsumerLag(backbone!.brokers, backbone!.namespace);
    const before = new Map<(typeof DISTRIBUTED_SERVICES)[number], number>();
    for (const service of DISTRIBUTED_SERVICES) if (service !== 'audit') before.set(service, (await eventsOf(service)).length);
    const archived = (await checkChain(client, caseId)).events;

    // Read every message of the namespace's events topics and produce each once more, as a
    // producer retry or a replayed topic would.
    const kafka = new Kafka({ clientId: 'e2e-redeliver', brokers: backbone!.brokers, logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(backbone!.namespace) && topic.endsWith('.events.v1'));
    let expected = 0;
    for (const topic of topics) for (const partition of await admin.fetchTopicOffsets(topic)) expected += Number(partition.high);
    await admin.disconnect();
    const copies = new Map<string, Message[]>();
    const reader = kafka.consumer({ groupId: `e2e-redeliver-${backbone!.namespace}` });
    await reader.connect();
    await reader.subscribe({ topics, fromBeginning: true });
    let read = 0;
    const allRead = new Promise<void>((resolve) => {
      void reader.run({
        eachMessage: async ({ topic, message }) => {
          copies.set(topic, [...(copies.get(topic) ?? []), { key: message.key, value: message.value, headers: message.headers }]);
          if (++read === expected) resolve();
        },
      });
    });
    await Promise.race([allRead, new Promise((_, reject) => setTimeout(() => reject(new Error(`read ${read} of ${expected} messages`)), 30_000))]);
    await reader.disconnect();
    const producer = kafka.producer();
    await producer.connect();
    await producer.sendBatch({ topicMessages: [...copies].map(([topic, messages]) => ({ topic, messages })) });
    await producer.disconnect();
    expect(read).toBeGreaterThan(20);

    await waitForNoConsumerLag(backbone!.brokers, backbone!.namespace);
    for (const [service, count] of before) expect((await eventsOf(service)).length, `${service} recorded nothing new`).toBe(count);
    const after = await checkChain(client, caseId);
    expect(after.events).toBe(archived);
    expect(after.distinct).toBe(after.events);
  });
});
