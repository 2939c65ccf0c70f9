// How many events per second the Kafka adapter moves on this machine: the outbox relay
// publishing recorded events from a SQLite store to a topic (idempotent producer, acks=all), and
// the bus adapter's consumer handling them, each with the CPU it took per message. Then where a
// consumer's time goes: decoding alone, and plain kafkajs consumers (eachMessage and eachBatch, no
// decoding) on the same topic as ceilings; and relay batch sizes other than the default.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKafkaBus, fromMessage, startOutboxRelay, toMessage } from '@nrm/bus';
import { newId } from '@nrm/contracts';
import type { NewEvent, RecordedEvent } from '@nrm/contracts';
import { createSqliteEventStore } from '@nrm/eventstore';
import type { EventStore } from '@nrm/eventstore';
import { benchNamespace, deleteKafkaNamespace } from './kafka-namespace.ts';
import { round } from './measure.ts';
import type { BenchResult } from './measure.ts';

/** As `nrm start` creates the topics (ensureTopics' default). */
const PARTITIONS = 3;
const RELAY_CHECKPOINT = 'outbox:kafka:intake';

type KafkaBus = ReturnType<typeof createKafkaBus>;
type Admin = ReturnType<KafkaBus['kafka']['admin']>;

const hex = (length: number) => Array.from({ length }, () => Math.floor(Math.random() * 16).toString(16)).join('');

/** An intake referral as the API records it: ids, trace context, a summary, one sealed personal field. */
function referralIssued(caseId: string, causationId: string): NewEvent {
  return {
    id: newId(),
    type: 'intake.ReferralIssued',
    schemaVersion: 1,
    occurredAt: new Date().toISOString(),
    agency: 'intake',
    actor: 'intake-clerk-an-giang-07',
    caseId,
    causationId,
    traceparent: `00-${hex(32)}-${hex(16)}-01`,
    data: {
      referralId: newId(),
      to: 'identification',
      kind: 'verification',
      priority: 'urgent',
      involvesChild: false,
      summary: 'Tip from hotline 111: two women reported held at a karaoke venue near the border gate.',
      acceptBy: '2026-11-24T08:00:00.000Z',
      victimName: { sealed: 'nrm.v1', subject: caseId, kid: 'k1', alg: 'A256GCM', iv: 'AAAAAAAAAAAAAAAA', ct: 'x'.repeat(48), tag: 'B'.repeat(22) },
    },
  };
}

/** Appends `count` events, 10 per case stream, 64 appends at a time. */
async function fillStore(store: EventStore, count: number): Promise<void> {
  const perCase = 10;
  const appends = Array.from({ length: Math.ceil(count / perCase) }, (_, index) => index);
  for (let start = 0; start < appends.length; start += 64) {
    await Promise.all(
      appends.slice(start, start + 64).map((index) => {
        const caseId = newId();
        const events = Array.from({ length: Math.min(perCase, count - index * perCase) }, () => referralIssued(caseId, newId()));
        return store.append(`intake-case-${caseId}`, events);
      }),
    );
  }
}

async function until(check: () => boolean, timeoutMs: number, what: string, failed: () => unknown = () => undefined): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    const failure = failed();
    if (failure) throw new Error(`${what}: ${String(failure)}`);
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/**
 * Messages per second, with this process's CPU while they moved: near 100 % of a core means the
 * Node side is the limit, and CPU µs per message stays meaningful when the machine is busy.
 */
type Throughput = { perSecond: number; cpuPercent: number; cpuUsPerMessage: number };

async function throughput(messages: number, body: () => Promise<unknown>): Promise<Throughput & { ms: number }> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  await body();
  const ms = performance.now() - start;
  const used = process.cpuUsage(cpu);
  const cpuUs = used.user + used.system;
  return { ms, perSecond: round(messages / (ms / 1000), 0), cpuPercent: round((cpuUs / 1000 / ms) * 100, 0), cpuUsPerMessage: round(cpuUs / messages, 1) };
}

async function createTopic(admin: Admin, topic: string): Promise<void> {
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: PARTITIONS, replicationFactor: 1 }] });
}

/** The relay publishing the whole store, from its first event, to `bus`'s intake topic: relay start to the last acknowledged batch. */
async function relayRun(store: EventStore, bus: KafkaBus, count: number, batchSize: number): Promise<Throughput> {
  await store.saveCheckpoint(RELAY_CHECKPOINT, -1);
  let failure: unknown;
  return await throughput(count, async () => {
    const relay = startOutboxRelay({ store, newProducer: () => bus.kafka.producer({ idempotent: true, maxInFlightRequests: 1 }), agencies: ['intake'], topics: bus.topics, batchSize, onError: (error) => (failure = error) });
    try {
      await until(() => relay.published() >= count, 300_000, `the relay to publish ${count} events`, () => failure);
    } finally {
      await relay.stop();
    }
  });
}

/** A consumer's rate from its first message to its `count`th, once it has joined its group. */
async function consumeRun(count: number, received: () => number, what: string, failed?: () => unknown): Promise<Throughput & { joinMs: number }> {
  const subscribed = performance.now();
  await until(() => received() > 0, 60_000, `the first message at ${what}`, failed);
  const joinMs = performance.now() - subscribed;
  const run = await throughput(count - received(), () => until(() => received() >= count, 300_000, `${what} to receive ${count} messages`, failed));
  return { ...run, joinMs };
}

/** The bus adapter's consumer with a trivial handler. */
async function adapterConsume(bus: KafkaBus, count: number): Promise<Throughput & { joinMs: number }> {
  let handled = 0;
  let failure: unknown;
  const consumer = bus.consume({
    consumer: 'bench-consume',
    filter: { agencies: ['intake'] },
    handler: async (event) => {
      if (event.position >= 0) handled++;
    },
    onError: (error) => (failure = error),
  });
  try {
    return await consumeRun(count, () => handled, 'the bus consumer', () => failure);
  } finally {
    await consumer.stop();
  }
}

/** A plain kafkajs consumer that decodes nothing: what the client library itself can deliver. */
async function rawConsume(bus: KafkaBus, topic: string, groupId: string, count: number, mode: 'eachMessage' | 'eachBatch'): Promise<Throughput> {
  const consumer = bus.kafka.consumer({ groupId, sessionTimeout: 10_000, heartbeatInterval: 1000 });
  let received = 0;
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run(mode === 'eachMessage' ? { eachMessage: async () => void received++ } : { eachBatch: async ({ batch }) => void (received += batch.messages.length) });
    return await consumeRun(count, () => received, `kafkajs ${mode}`);
  } finally {
    await consumer.disconnect().catch(() => undefined);
  }
}

/** Per-message cost of the adapter's decoding, measured alone on the very messages it reads. */
function decodeCost(events: readonly RecordedEvent[]): { bytes: number; toMessageUs: number; jsonParseUs: number; fromMessageUs: number } {
  const values = events.map((event) => Buffer.from(toMessage(event).value as string));
  // The fastest of five passes: the first warms the JIT up, as a running consumer's would be,
  // and the minimum is the least disturbed by whatever else the machine runs.
  const perMessage = (body: () => void) => {
    let fastest = Infinity;
    for (let pass = 0; pass < 5; pass++) {
      const start = performance.now();
      body();
      fastest = Math.min(fastest, performance.now() - start);
    }
    return round((fastest * 1000) / events.length, 2);
  };
  const toMessageUs = perMessage(() => events.forEach((event) => toMessage(event)));
  const jsonParseUs = perMessage(() => values.forEach((value) => JSON.parse(value.toString('utf8'))));
  const fromMessageUs = perMessage(() => values.forEach((value) => fromMessage(value)));
  return { bytes: Math.round(values.reduce((sum, value) => sum + value.length, 0) / values.length), toMessageUs, jsonParseUs, fromMessageUs };
}

export async function benchKafkaThroughput(brokers: string[], options: { quick: boolean }): Promise<BenchResult[]> {
  const count = options.quick ? 10_000 : 50_000;
  const batchSizes = options.quick ? [500, 1000, 2000] : [500, 250, 1000, 2000];
  const namespace = benchNamespace();
  const dir = mkdtempSync(join(tmpdir(), 'nrm-bench-kafka-'));
  const store = createSqliteEventStore({ path: join(dir, 'intake.db'), durability: 'normal' });
  // One namespace per relay batch size, so each topic holds the store's events exactly once.
  const buses = batchSizes.map((batchSize) => createKafkaBus({ brokers, clientId: 'nrm-bench', namespace: `${namespace}b${batchSize}.` }));
  const warmUp = createKafkaBus({ brokers, clientId: 'nrm-bench', namespace: `${namespace}warm-up.` });
  const main = buses[0]!;
  const admin = main.kafka.admin();
  try {
    await admin.connect();
    await fillStore(store, count);
    const events: RecordedEvent[] = [];
    for await (const event of store.readAll({ limit: Math.min(count, 10_000) })) events.push(event);

    // A service's relay runs warm: the first thousands of events mostly measure the JIT compiling kafkajs.
    await createTopic(admin, warmUp.topics.events('intake'));
    await relayRun(store, warmUp, Math.min(count, 5000), batchSizes[0]!);

    // A larger batch can fail: the relay bounds a batch by count, the broker a partition's record batch by bytes.
    const relayed: ({ batchSize: number } & (Throughput | { failure: string }))[] = [];
    for (const [index, batchSize] of batchSizes.entries()) {
      const bus = buses[index]!;
      await createTopic(admin, bus.topics.events('intake'));
      try {
        relayed.push({ batchSize, ...(await relayRun(store, bus, count, batchSize)) });
      } catch (error) {
        if (index === 0) throw error;
        relayed.push({ batchSize, failure: (error as Error).message });
      }
    }
    const relay = relayed[0] as Throughput & { batchSize: number };
    const consumed = await adapterConsume(main, count);
    const topic = main.topics.events('intake');
    const rawEachMessage = await rawConsume(main, topic, `${namespace}raw-each-message`, count, 'eachMessage');
    const rawEachBatch = await rawConsume(main, topic, `${namespace}raw-each-batch`, count, 'eachBatch');
    const decode = decodeCost(events);

    return [
      {
        name: 'kafka produce (outbox relay)',
        value: relay.perSecond,
        unit: 'msgs/s',
        target: { value: 10_000, better: 'higher' },
        detail: {
          events: count,
          batch_size: relay.batchSize,
          partitions: PARTITIONS,
          message_bytes: decode.bytes,
          cpu_percent: relay.cpuPercent,
          cpu_us_per_msg: relay.cpuUsPerMessage,
          ...Object.fromEntries(
            relayed
              .slice(1)
              .flatMap((run): [string, number | string][] =>
                'failure' in run ? [[`batch_${run.batchSize}`, `failed: ${run.failure}`]] : [[`batch_${run.batchSize}_msgs_per_s`, run.perSecond], [`batch_${run.batchSize}_cpu_us_per_msg`, run.cpuUsPerMessage]],
              ),
          ),
          to_message_us: decode.toMessageUs,
          note: 'SQLite store (durability normal) → startOutboxRelay → idempotent producer, acks=all, maxInFlightRequests 1; relay start to last acknowledged batch, after a warm-up run of 5000 events; cpu_* = this process',
        },
      },
      {
        name: 'kafka consume (bus adapter)',
        value: consumed.perSecond,
        unit: 'msgs/s',
        target: { value: 20_000, better: 'higher' },
        detail: {
          events: count,
          partitions: PARTITIONS,
          group_join_ms: round(consumed.joinMs, 0),
          cpu_percent: consumed.cpuPercent,
          cpu_us_per_msg: consumed.cpuUsPerMessage,
          kafkajs_each_message_noop_msgs_per_s: rawEachMessage.perSecond,
          kafkajs_each_message_noop_cpu_us_per_msg: rawEachMessage.cpuUsPerMessage,
          kafkajs_each_batch_noop_msgs_per_s: rawEachBatch.perSecond,
          kafkajs_each_batch_noop_cpu_us_per_msg: rawEachBatch.cpuUsPerMessage,
          json_parse_us: decode.jsonParseUs,
          from_message_us: decode.fromMessageUs,
          note: 'createKafkaBus().consume from the beginning, trivial handler, first to last handled; kafkajs_* = plain consumers of the same topic decoding nothing; json_parse_us and from_message_us (JSON.parse + zod) per message, measured alone',
        },
      },
    ];
  } finally {
    await admin.disconnect();
    await Promise.all(buses.map((bus) => bus.close()));
    await deleteKafkaNamespace(brokers, namespace);
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
