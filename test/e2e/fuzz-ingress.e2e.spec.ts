// Hostile input on Kafka ingress (issue 7, item 6): the intake service, as `nrm start` runs it on a
// Kafka bus under a namespace of its own, consumes NRM_FUZZ_RUNS (2,000 by default) hostile
// messages drawn with a fixed seed (test/security/fuzz-ingress-messages.ts), with valid facts at
// the start, in the middle and at the end, all on one partition. Most hostile messages come from
// an authenticated sender (so their values are what is tested), the rest with a credential that
// must be refused. The consumer must not crash or stall (the last valid fact is recorded in
// bounded time), every bad message is answered by exactly one rejection (an authentication rule
// for every one without the valid credential), and the store holds exactly the valid facts,
// recorded as the token's subject. Without a broker: skipped,
// with why.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Message } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createKafkaBus, ensureTopics } from '@nrm/bus';
import { kafkaTestBrokers } from '@nrm/bus/testing';
import { SERVICES } from '@nrm/cli';
import { eventRegistry, newId } from '@nrm/contracts';
import type { RecordedEvent } from '@nrm/contracts';
import { createSqliteEventStore } from '@nrm/eventstore';
import { createSqliteProjectionStore } from '@nrm/projections';
import type { ServiceWorker } from '@nrm/service-kit';
import { createTestAuth } from '@nrm/service-kit/testing';
import { createSqliteKeyStore, createVault } from '@nrm/vault';
import { carriesValidCredential, dataProtoKeyFact, hostileIngressMessages, validTipFact } from '../security/fuzz-ingress-messages.ts';
import type { IngressCase, IngressCredentials } from '../security/fuzz-ingress-messages.ts';

const SEED = 20261124;
const RUNS = Number(process.env.NRM_FUZZ_RUNS ?? 2000);
const PARTITION = 0;
/** Messages per produce request, and bytes: a request stays well under the broker's 1 MiB record batch limit. */
const BATCH_MESSAGES = 100;
const BATCH_BYTES = 512 * 1024;

const found = await kafkaTestBrokers();

type Rejection = { rule: string; source: { partition: number; offset: string } };

async function startFixture(brokers: string[]) {
  const namespace = `t${newId().toLowerCase()}.`;
  const dir = mkdtempSync(join(tmpdir(), 'nrm-fuzz-ingress-'));
  const store = createSqliteEventStore({ path: join(dir, 'events.db'), durability: 'normal', pollIntervalMs: 50 });
  const keyStore = createSqliteKeyStore({ database: store.database });
  const projections = createSqliteProjectionStore({ database: store.database });
  const bus = createKafkaBus({ brokers, clientId: 'fuzz-ingress', namespace });
  const admin = bus.kafka.admin();
  await admin.connect();
  await ensureTopics(admin, bus.topics, { partitions: 1 });
  const producer = bus.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const rejections: Rejection[] = [];
  const reader = bus.kafka.consumer({ groupId: `${namespace}rejections-reader` });
  await reader.connect();
  await reader.subscribe({ topics: [bus.topics.rejections('intake')], fromBeginning: true });
  await reader.run({ eachMessage: async ({ message }) => void rejections.push(JSON.parse(String(message.value)) as Rejection) });
  const vault = createVault({ keyStore, masterKey: randomBytes(32), masterKeyId: 'fuzz-kek' });
  const intake = SERVICES.find((service) => service.name === 'intake');
  if (!intake) throw new Error('no intake service');
  const auth = await createTestAuth();
  const workers: ServiceWorker[] = (await intake.start?.({ store, bus, projections, vault, registry: eventRegistry, storage: { kind: 'sqlite', database: store.database }, verifyToken: auth.verifier })) ?? [];
  const forger = await createTestAuth();
  const credentials: IngressCredentials = {
    valid: await auth.token({ agency: 'intake', roles: ['clerk'], subject: 'hotline-gateway', ttlSeconds: 3600 }),
    refused: [
      `Bearer ${await auth.token({ agency: 'identification', roles: ['clerk'], ttlSeconds: 3600 })}`,
      `Bearer ${await auth.token({ agency: 'intake', roles: ['auditor'], ttlSeconds: 3600 })}`,
      `Bearer ${await auth.token({ agency: 'intake', roles: ['clerk'], ttlSeconds: 60, now: new Date(Date.now() - 7_200_000) })}`,
      `Bearer ${await forger.token({ agency: 'intake', roles: ['clerk'], ttlSeconds: 3600 })}`,
      // alg "none": an unsigned token naming an intake clerk.
      `Bearer ${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub: 'x', agency: 'intake', roles: ['clerk'], iss: 'nrm-backbone-dev', aud: 'nrm-backbone', iat: Math.floor(Date.now() / 1000), exp: Math.floor(Date.now() / 1000) + 3600 })).toString('base64url')}.`,
      'Basic aW50YWtlOnNlY3JldA==',
      'Bearer',
      '',
    ],
  };
  return {
    credentials,
    store,
    rejections,
    workers,
    ingressTopic: bus.topics.ingress('intake'),
    /** Produces the messages in order on one partition; answers the offset of each. */
    async produce(messages: Message[]): Promise<string[]> {
      const offsets: string[] = [];
      let batch: Message[] = [];
      let bytes = 0;
      const flush = async () => {
        if (batch.length === 0) return;
        const [metadata] = await producer.send({ topic: bus.topics.ingress('intake'), acks: -1, messages: batch });
        const base = BigInt(metadata!.baseOffset!);
        batch.forEach((_message, index) => offsets.push((base + BigInt(index)).toString()));
        batch = [];
        bytes = 0;
      };
      for (const message of messages) {
        const size = (message.value?.length ?? 0) + (message.key?.length ?? 0);
        if (batch.length >= BATCH_MESSAGES || bytes + size > BATCH_BYTES) await flush();
        batch.push({ ...message, partition: PARTITION });
        bytes += size;
      }
      await flush();
      return offsets;
    },
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
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs: number, state: () => Promise<string>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs / 1000} s; ${await state()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function countBy<T>(items: readonly T[], keyOf: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[keyOf(item)] = (counts[keyOf(item)] ?? 0) + 1;
  return counts;
}

describe.skipIf(!found.brokers)(`hostile input on Kafka ingress (seed ${SEED}, ${RUNS} messages)${found.skipReason ? ` (skipped: ${found.skipReason})` : ''}`, () => {
  let fixture: Awaited<ReturnType<typeof startFixture>>;
  const errors = vi.spyOn(console, 'error');
  /** Where the consumer got to, for a message that says why it timed out. */
  const state = async () => {
    const recorded: string[] = [];
    for await (const event of fixture.store.readAll()) recorded.push(`${event.type} ${event.caseId}`);
    const rejected = fixture.rejections.map((rejection) => Number(rejection.source.offset));
    return `rejections ${rejected.length} ${JSON.stringify(countBy(fixture.rejections, (rejection) => rejection.rule))} (last offset ${Math.max(-1, ...rejected)}), recorded [${recorded.join(', ')}], errors logged: ${JSON.stringify(errors.mock.calls.slice(0, 5).map((call) => call.map(String).join(' ')))}`;
  };
  beforeAll(async () => {
    fixture = await startFixture(found.brokers!);
  }, 60_000);
  afterAll(async () => {
    await fixture?.close();
    errors.mockRestore();
  }, 60_000);

  it('rejects every bad message once, records exactly the valid facts, and never stalls', async () => {
    const started = performance.now();
    const { credentials } = fixture;
    const hostile = hostileIngressMessages(SEED, RUNS, credentials);
    const valid = [validTipFact(), validTipFact(), validTipFact(), validTipFact()];
    const middle = Math.floor(hostile.length / 2);
    const authorization = `Bearer ${credentials.valid}`;
    const cases: (IngressCase & { valid: boolean })[] = [
      { kind: 'valid', key: 'valid-first', value: JSON.stringify(valid[0]), headers: { authorization }, valid: true },
      ...hostile.slice(0, middle).map((each) => ({ ...each, valid: false })),
      { kind: 'valid', key: 'valid-middle', value: JSON.stringify(valid[1]), headers: { authorization, 'nrm-actor': 'root', traceparent: 'garbage' }, valid: true },
      ...hostile.slice(middle).map((each) => ({ ...each, valid: false })),
      { kind: 'valid', key: null, value: JSON.stringify(valid[2]), headers: { authorization }, valid: true },
      { kind: 'valid', key: 'valid-last', value: JSON.stringify(valid[3]), headers: { authorization: `bearer  ${credentials.valid}` }, valid: true },
    ];
    const offsets = await fixture.produce(cases.map(({ key, value, headers }) => ({ key, value, ...(headers ? { headers } : {}) })));
    const produced = performance.now();

    const last = valid.at(-1)!;
    // `intake-case-<caseId>`: the intake service's case stream.
    await waitFor('the last valid fact recorded', async () => ((await fixture.store.readStream(`intake-case-${last.caseId}`)).length > 0 ? true : undefined), Number(process.env.NRM_FUZZ_WAIT_MS ?? 180_000), state);
    const badOffsets = new Set(cases.flatMap((each, index) => (each.valid ? [] : [offsets[index]!])));
    // One partition, handled in order: every message before the last fact is settled, its rejection
    // acknowledged by the broker. The reader may lag; the assertions below say what is missing.
    await waitFor('a rejection for every bad message', async () => (fixture.rejections.length >= badOffsets.size ? true : undefined), 30_000, state).catch(() => undefined);
    const drained = performance.now();

    const rejectedOffsets = fixture.rejections.filter((rejection) => rejection.source.partition === PARTITION).map((rejection) => rejection.source.offset);
    expect(new Set(rejectedOffsets).size, 'one rejection per bad message').toBe(rejectedOffsets.length);
    const notRejected = cases.filter((each, index) => !each.valid && !rejectedOffsets.includes(offsets[index]!)).map((each) => `${each.kind}: ${String(each.value).slice(0, 300)}`);
    expect(notRejected, 'bad messages with no rejection').toEqual([]);
    const validRejected = cases.filter((each, index) => each.valid && rejectedOffsets.includes(offsets[index]!));
    expect(validRejected, 'valid facts rejected').toEqual([]);
    // A sender without the valid credential is refused for that, before its value is read.
    const ruleAt = new Map(fixture.rejections.map((rejection) => [rejection.source.offset, rejection.rule]));
    const unauthenticatedRules = cases.flatMap((each, index) => (each.valid || carriesValidCredential(each, credentials) ? [] : [ruleAt.get(offsets[index]!) ?? 'none']));
    expect(unauthenticatedRules.length, 'some cases carry a refused credential').toBeGreaterThan(RUNS / 40);
    expect(unauthenticatedRules.filter((rule) => rule !== 'unauthenticated' && rule !== 'forbidden'), 'rules of refused senders').toEqual([]);

    const events: RecordedEvent[] = [];
    for await (const event of fixture.store.readAll()) events.push(event);
    // Each valid tip opened its case (any event that followed belongs to such a case); no bad message left a trace.
    const validCases = new Set(valid.map((fact) => fact.caseId));
    expect(events.filter((event) => !validCases.has(event.caseId ?? '')).map((event) => `${event.type} ${event.caseId}`)).toEqual([]);
    expect(events.filter((event) => event.type === 'intake.TipReceived').map((event) => event.caseId).sort()).toEqual([...validCases].sort());
    expect(new Set(events.map((event) => event.actor)), "recorded as the token's subject").toEqual(new Set(['hotline-gateway']));
    expect(errors.mock.calls.filter((call) => String(call[0]).includes('[intake]')), 'the ingress worker reported errors or retries').toEqual([]);

    console.log(
      [
        `Kafka ingress fuzz, seed ${SEED}: ${cases.length} messages (${badOffsets.size} bad, ${valid.length} valid) produced in ${((produced - started) / 1000).toFixed(1)} s, all handled ${((drained - produced) / 1000).toFixed(1)} s later`,
        `bad messages by kind: ${JSON.stringify(countBy(cases.filter((each) => !each.valid), (each) => each.kind))}`,
        `rejections by rule: ${JSON.stringify(countBy(fixture.rejections, (rejection) => rejection.rule))}`,
      ].join('\n'),
    );
  }, 600_000);

  it('rejects a fact whose data has an own `__proto__` field, as HTTP does', async () => {
    const [offset] = await fixture.produce([{ key: 'data-proto-key', value: dataProtoKeyFact(), headers: { authorization: `Bearer ${fixture.credentials.valid}` } }]);
    const rejection = await waitFor('its rejection', async () => fixture.rejections.find((candidate) => candidate.source.offset === offset), 20_000, state);
    expect(rejection.rule).toBe('invalid-fact');
  }, 60_000);
});
