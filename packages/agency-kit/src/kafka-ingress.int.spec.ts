// Ingress over Kafka against a real broker: an agency service (SQLite store, Kafka bus, its
// background workers started as `nrm start` starts them) consumes facts from its ingress topic.
// Only a sender with an access token of the agency and a writer role is heard, and is the
// recorded actor; valid facts are recorded once; every kind of bad message is published to the rejections topic
// with its rule and never blocks the partition; a fact the store failed to record is retried,
// not skipped, while the other partitions flow. Without a broker: skipped, with why.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// kafkajs is CommonJS and Node's named-export detection stops before ConfigResourceTypes.
import kafkajs from 'kafkajs';
import { createKafkaBus, ensureTopics } from '@nrm/bus';
import { kafkaTestBrokers } from '@nrm/bus/testing';
import { eventRegistry, newId } from '@nrm/contracts';
import { createSqliteEventStore } from '@nrm/eventstore';
import type { EventStore } from '@nrm/eventstore';
import { createSqliteProjectionStore } from '@nrm/projections';
import { createSqliteKeyStore, createVault } from '@nrm/vault';
import { createTestAuth } from '@nrm/service-kit/testing';
import { caseStream } from './case-decider.ts';
import { eventually } from './testing/agency-test-app.ts';
import { referralsOnlyService } from './testing/referrals-only-service.ts';

const found = await kafkaTestBrokers();
const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

type Rejection = { key: string | null; headers: Record<string, string>; body: { factId: string | null; rule: string; detail: string; errors?: unknown[]; source: { topic: string; partition: number; offset: string; key: string | null } } };

/** A store whose appends to the streams in `failing` fail, as on a full disk; `failures` counts them. */
function storeFailingFor(store: EventStore): { store: EventStore; failing: Set<string>; failures(): number } {
  const failing = new Set<string>();
  let failures = 0;
  const append = (...args: Parameters<EventStore['append']>) => {
    if (!failing.has(args[0])) return store.append(...args);
    failures++;
    return Promise.reject(new Error(`disk full while appending to ${args[0]}`));
  };
  const proxy = new Proxy(store, {
    get(target, property) {
      if (property === 'append') return append;
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { store: proxy, failing, failures: () => failures };
}

/** One intake service with its workers on a Kafka bus under a fresh topic namespace, and a reader of its rejections. */
async function startIngressFixture(brokers: string[]) {
  const namespace = `t${newId().toLowerCase()}.`;
  const dir = mkdtempSync(join(tmpdir(), 'nrm-kafka-ingress-'));
  const rejections: Rejection[] = [];
  const sqlite = createSqliteEventStore({ path: join(dir, 'events.db'), durability: 'normal', pollIntervalMs: 50 });
  const { store, failing, failures } = storeFailingFor(sqlite);
  const keyStore = createSqliteKeyStore({ database: sqlite.database });
  const projections = createSqliteProjectionStore({ database: sqlite.database });
  const bus = createKafkaBus({ brokers, clientId: 'ingress-test', namespace });
  const admin = bus.kafka.admin();
  await admin.connect();
  await ensureTopics(admin, bus.topics, { partitions: 3 });
  const producer = bus.kafka.producer();
  await producer.connect();
  const reader = bus.kafka.consumer({ groupId: `${namespace}rejections-reader` });
  await reader.connect();
  await reader.subscribe({ topics: [bus.topics.rejections('intake')], fromBeginning: true });
  await reader.run({
    eachMessage: async ({ message }) => {
      const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([name, value]) => [name, String(value)]));
      rejections.push({ key: message.key?.toString() ?? null, headers, body: JSON.parse(String(message.value)) });
    },
  });
  const vault = createVault({ keyStore, masterKey: randomBytes(32), masterKeyId: 'test-kek' });
  const auth = await createTestAuth();
  const workers =
    (await referralsOnlyService('intake').start?.({ store, bus, projections, vault, registry: eventRegistry, storage: { kind: 'sqlite', database: sqlite.database }, verifyToken: auth.verifier })) ?? [];
  return {
    auth,
    admin,
    store,
    failing,
    failures,
    rejections,
    workers,
    ingressTopic: bus.topics.ingress('intake'),
    producer,
    async close() {
      for (const worker of [...workers].reverse()) await worker.stop();
      await bus.close();
      await reader.disconnect();
      await producer.disconnect();
      await admin.deleteTopics({ topics: (await admin.listTopics()).filter((topic) => topic.startsWith(namespace)) }).catch(() => undefined);
      const groups = (await admin.listGroups()).groups.map((group) => group.groupId).filter((group) => group.startsWith(namespace));
      await admin.deleteGroups(groups).catch(() => undefined);
      await admin.disconnect();
      await projections.close();
      await keyStore.close();
      await sqlite.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

describe.skipIf(!found.brokers)(`ingress over Kafka${found.skipReason ? ` (skipped: ${found.skipReason})` : ''}`, () => {
  let fixture: Awaited<ReturnType<typeof startIngressFixture>>;
  beforeAll(async () => {
    fixture = await startIngressFixture(found.brokers!);
  }, 60_000);
  afterAll(async () => fixture?.close(), 60_000);

  it('runs an ingress worker beside the other workers of the service', () => {
    expect(fixture.workers.map((worker) => worker.name)).toContain('intake.ingress');
  });

  const referral = (to: string) => ({ referralId: newId(), to, kind: 'verification', priority: 'normal', involvesChild: false, summary: 'Two people reported held across the Hekou gate.' });
  const referralFact = (to = 'identification') => ({ id: newId(), type: 'intake.ReferralIssued', caseId: newId(), data: referral(to) });

  /** The intake gateway's token, unless the message names other headers (`authorization` among them, or not). */
  let gatewayToken: string;
  beforeAll(async () => {
    gatewayToken = await fixture.auth.token({ agency: 'intake', roles: ['clerk'], subject: 'hotline-gateway' });
  });
  async function produce(key: string, value: string | Buffer | null, options: { partition?: number; headers?: Record<string, string>; anonymous?: boolean } = {}) {
    const headers = { ...(options.anonymous ? {} : { authorization: `Bearer ${gatewayToken}` }), ...options.headers };
    await fixture.producer.send({ topic: fixture.ingressTopic, acks: -1, messages: [{ key, value, partition: options.partition ?? 0, headers }] });
  }

  const recorded = (caseId: string) => fixture.store.readStream(caseStream('intake', caseId));
  const rejectionOf = (key: string) =>
    eventually(async () => {
      const rejection = fixture.rejections.find((candidate) => candidate.key === key);
      if (!rejection) throw new Error(`no rejection keyed ${key} yet`);
      return rejection;
    }, 30_000);
  const recordedOnce = (caseId: string) =>
    eventually(async () => {
      const events = await recorded(caseId);
      expect(events).toHaveLength(1);
      return events[0]!;
    }, 30_000);

  it('records a valid fact once, rejects every kind of bad message with its rule, and is not blocked by them', async () => {
    const valid = referralFact();
    await produce('valid', JSON.stringify(valid), { headers: { traceparent } });
    await produce('valid-again', JSON.stringify(valid));
    await produce('not-json', 'Nguyễn Thị Lan was taken across the border {');
    await produce('not-utf8', Buffer.from([0x7b, 0xff, 0xfe, 0x7d]));
    await produce('empty', null);
    await produce('wrong-shape', JSON.stringify({ id: valid.id, kind: 'tip', payload: {} }));
    await produce('oversized', JSON.stringify({ ...referralFact(), data: { ...referral('identification'), summary: 'x'.repeat(300 * 1024) } }));
    await produce('unknown-type', JSON.stringify({ ...referralFact(), type: 'intake.TipReceived' }));
    await produce('foreign-type', JSON.stringify({ ...referralFact(), type: 'rescue.RescueRequested' }));
    await produce('invalid-payload', JSON.stringify({ ...referralFact(), data: { to: 'identification' } }));
    const toSelf = referralFact('intake');
    await produce('domain-rule', JSON.stringify(toSelf), { headers: { traceparent } });
    // After every bad message, on the same partition: still accepted.
    const after = referralFact('protection');
    await produce('after', JSON.stringify(after));

    const event = await recordedOnce(valid.caseId);
    expect(event).toMatchObject({ type: 'intake.ReferralIssued', actor: 'hotline-gateway', traceparent, caseId: valid.caseId });
    expect(await recordedOnce(after.caseId)).toMatchObject({ actor: 'hotline-gateway', traceparent: null });
    // `after` came after the duplicate on the same partition, so the duplicate was handled by now.
    expect(await recorded(valid.caseId)).toHaveLength(1);

    const expectedRules = {
      'not-json': 'not-json',
      'not-utf8': 'not-utf8',
      empty: 'empty-message',
      'wrong-shape': 'invalid-fact',
      oversized: 'message-too-large',
      'unknown-type': 'unknown-event-type',
      'foreign-type': 'foreign-event-type',
      'invalid-payload': 'invalid-payload',
      'domain-rule': 'referral-to-self',
    };
    for (const [key, rule] of Object.entries(expectedRules)) {
      const rejection = await rejectionOf(key);
      expect(rejection.body.rule, key).toBe(rule);
      expect(rejection.headers['nrm-rule'], key).toBe(rule);
      expect(rejection.body.source, key).toMatchObject({ topic: fixture.ingressTopic, partition: 0, key });
    }
    expect((await rejectionOf('wrong-shape')).body).toMatchObject({ factId: valid.id, errors: expect.arrayContaining([expect.objectContaining({ field: 'type' })]) });
    expect((await rejectionOf('invalid-payload')).body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'data.kind' })]));
    expect((await rejectionOf('domain-rule')).body.factId).toBe(toSelf.id);
    expect((await rejectionOf('domain-rule')).headers.traceparent).toBe(traceparent);
    expect(JSON.stringify(await rejectionOf('not-json'))).not.toContain('Nguyễn');
    expect(fixture.rejections.filter((rejection) => ['valid', 'valid-again', 'after'].includes(rejection.key ?? ''))).toEqual([]);
  }, 60_000);

  it('hears only senders with a token of the agency and a writer role, before it reads the value', async () => {
    const token = (claims: Parameters<typeof fixture.auth.token>[0]) => fixture.auth.token(claims);
    const refused = {
      'no-token': { anonymous: true },
      'basic-auth': { headers: { authorization: 'Basic aW50YWtlOnNlY3JldA==' } },
      'garbage-token': { headers: { authorization: 'Bearer not.a.token' } },
      'other-agency': { headers: { authorization: `Bearer ${await token({ agency: 'identification', roles: ['clerk'], subject: 'id-gateway' })}` } },
      'no-writer-role': { headers: { authorization: `Bearer ${await token({ agency: 'intake', roles: ['auditor'], subject: 'reader' })}` } },
      'expired-before-sent': { headers: { authorization: `Bearer ${await token({ agency: 'intake', roles: ['clerk'], ttlSeconds: 60, now: new Date(Date.now() - 3_600_000) })}` } },
    };
    const facts = Object.fromEntries(Object.keys(refused).map((key) => [key, referralFact()]));
    for (const [key, options] of Object.entries(refused)) await produce(key, JSON.stringify(facts[key]), options);
    // Not even the value's shape is looked at for an unknown sender.
    await produce('anonymous-garbage', 'not json at all', { anonymous: true });
    const heard = referralFact();
    await produce('heard', JSON.stringify(heard));

    expect(await recordedOnce(heard.caseId)).toMatchObject({ actor: 'hotline-gateway' });
    const expectedRules: Record<string, string> = {
      'no-token': 'unauthenticated',
      'basic-auth': 'unauthenticated',
      'garbage-token': 'unauthenticated',
      'other-agency': 'forbidden',
      'no-writer-role': 'forbidden',
      'expired-before-sent': 'unauthenticated',
      'anonymous-garbage': 'unauthenticated',
    };
    for (const [key, rule] of Object.entries(expectedRules)) {
      const rejection = await rejectionOf(key);
      expect(rejection.body, key).toMatchObject({ rule, factId: null });
      if (facts[key]) expect(await recorded(facts[key].caseId), key).toHaveLength(0);
    }
    expect((await rejectionOf('expired-before-sent')).body.detail).toMatch(/expired/);
  }, 60_000);

  it("creates ingress topics with the broker's timestamps, against which tokens are checked", async () => {
    const described = await fixture.admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: kafkajs.ConfigResourceTypes.TOPIC, name: fixture.ingressTopic, configNames: ['message.timestamp.type'] }],
    });
    expect(described.resources[0]?.configEntries.find((entry) => entry.configName === 'message.timestamp.type')?.configValue).toBe('LogAppendTime');
  });

  it('does not skip a fact the store failed to record: retries it, while another partition flows', async () => {
    const stuck = referralFact();
    fixture.failing.add(caseStream('intake', stuck.caseId));
    await produce('stuck', JSON.stringify(stuck), { partition: 1 });
    const flowing = referralFact();
    await produce('flowing', JSON.stringify(flowing), { partition: 2 });

    await recordedOnce(flowing.caseId);
    // Tried again and again, never skipped: a retry waits for its backoff and the next fetch (at most 5 s).
    await eventually(async () => expect(fixture.failures()).toBeGreaterThanOrEqual(2), 30_000);
    expect(await recorded(stuck.caseId)).toHaveLength(0);
    fixture.failing.clear();
    await recordedOnce(stuck.caseId);
    expect(fixture.rejections.filter((rejection) => rejection.key === 'stuck')).toEqual([]);
  }, 60_000);
});
