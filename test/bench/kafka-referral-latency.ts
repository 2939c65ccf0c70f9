// A referral between two agencies running as two `nrm start` processes over Kafka: intake issues
// it, identification's inbox consumer files it. Measured two ways:
// - from the records themselves: ReferralIssued recordedAt in intake's store → ReferralReceived
//   recordedAt in identification's (one machine clock, millisecond resolution), split at the
//   Kafka message's timestamp (set by intake's producer when it encodes the request): the relay's
//   share, then the broker's, identification's consumer's and its append's. Referrals are issued
//   one after another with a pause between them, and nothing polls identification meanwhile.
// - as an officer sees it: the POST of the referral returned → GET /v1/identification/inbox lists
//   it, polled every 5 ms (a separate, earlier set of referrals, as the polling loads the receiver).
//
// Both processes share a fresh topic namespace (`--bus kafka://…?namespace=`), whose topics and
// consumer groups are deleted afterwards, and a fresh data directory. A few warm-up referrals,
// not measured, let identification's consumer join its group first.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKafkaBus } from '@nrm/bus';
import { createBackboneClient } from '@nrm/cli';
import type { BackboneClient } from '@nrm/cli';
import type { Agency } from '@nrm/contracts';
import { createSqliteEventStore } from '@nrm/eventstore';
import { startNrm } from '../e2e/nrm-process.ts';
import type { NrmProcess } from '../e2e/nrm-process.ts';
import { benchNamespace, deleteKafkaNamespace } from './kafka-namespace.ts';
import { percentile, round } from './measure.ts';
import type { BenchResult } from './measure.ts';

const WARM_UP = 3;
const PAUSE_MS = 50;

type Inbox = { items: { caseId: string; from: string }[]; nextCursor: string | null };
type Referral = { issuedId: string; issuedAt: number; receivedAt: number };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The cases whose referral from intake is in identification's inbox, every page of it. */
async function inboxCases(client: BackboneClient): Promise<Set<string>> {
  const cases = new Set<string>();
  let after: string | null = null;
  do {
    const page: Inbox = await client.get<Inbox>('identification', `/inbox?status=received&limit=100${after ? `&after=${encodeURIComponent(after)}` : ''}`);
    for (const item of page.items) if (item.from === 'intake') cases.add(item.caseId);
    after = page.nextCursor;
  } while (after);
  return cases;
}

async function waitForInbox(client: BackboneClient, caseIds: readonly string[], options: { timeoutMs: number; pollMs: number }): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const listed = await inboxCases(client);
    const missing = caseIds.filter((caseId) => !listed.has(caseId));
    if (missing.length === 0) return;
    if (Date.now() > deadline) throw new Error(`${missing.length} referrals did not reach identification's inbox within ${options.timeoutMs} ms`);
    await sleep(options.pollMs);
  }
}

/** Tip, classification, referral to identification; resolves when the POST of the referral returned. */
async function issueReferral(client: BackboneClient): Promise<string> {
  const tip = await client.post<{ caseId: string }>('intake', '/tips', { channel: 'hotline-111', province: 'An Giang', allegedPlace: { country: 'KH' }, statement: 'bench' });
  await client.post('intake', `/cases/${tip.caseId}/classification`, { tipId: tip.caseId, classification: 'suspected-trafficking', riskLevel: 'high' });
  await client.post('intake', `/cases/${tip.caseId}/referrals`, { to: 'identification', kind: 'verification', priority: 'urgent', involvesChild: false, summary: 'bench' });
  return tip.caseId;
}

/** Each case's ReferralIssued and ReferralReceived as recorded, read from the two stores once the processes stopped. */
async function recordedReferrals(dataDir: string, caseIds: readonly string[]): Promise<Referral[]> {
  const intake = createSqliteEventStore({ path: join(dataDir, 'intake.db') });
  const identification = createSqliteEventStore({ path: join(dataDir, 'identification.db') });
  try {
    const referrals: Referral[] = [];
    for (const caseId of caseIds) {
      const issued = (await intake.readStream(`intake-case-${caseId}`)).find((event) => event.type === 'intake.ReferralIssued');
      const received = (await identification.readStream(`identification-case-${caseId}`)).find((event) => event.type === 'identification.ReferralReceived');
      if (!issued || !received) throw new Error(`case ${caseId}: ${issued ? 'no ReferralReceived in identification' : 'no ReferralIssued in intake'}`);
      referrals.push({ issuedId: issued.id, issuedAt: Date.parse(issued.recordedAt), receivedAt: Date.parse(received.recordedAt) });
    }
    return referrals;
  } finally {
    await intake.close();
    await identification.close();
  }
}

/** When intake's producer sent each event: the timestamps of their messages on intake's topic. */
async function producedAt(brokers: string[], namespace: string, eventIds: ReadonlySet<string>): Promise<Map<string, number>> {
  const bus = createKafkaBus({ brokers, clientId: 'nrm-bench', namespace });
  const consumer = bus.kafka.consumer({ groupId: `${namespace}bench-timestamps` });
  const found = new Map<string, number>();
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [bus.topics.events('intake')], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const id = message.headers?.['nrm-event-id']?.toString();
        if (id && eventIds.has(id)) found.set(id, Number(message.timestamp));
      },
    });
    const deadline = Date.now() + 60_000;
    while (found.size < eventIds.size) {
      if (Date.now() > deadline) throw new Error(`found ${found.size} of ${eventIds.size} ReferralIssued messages on ${bus.topics.events('intake')} within 60 s`);
      await sleep(10);
    }
    return found;
  } finally {
    await consumer.disconnect().catch(() => undefined);
  }
}

const summary = (sorted: readonly number[], prefix: string) => ({
  [`${prefix}p50_ms`]: round(percentile(sorted, 50), 1),
  [`${prefix}p95_ms`]: round(percentile(sorted, 95), 1),
  [`${prefix}p99_ms`]: round(percentile(sorted, 99), 1),
  [`${prefix}max_ms`]: round(sorted[sorted.length - 1]!, 1),
});

export async function benchKafkaReferralLatency(brokers: string[], options: { quick: boolean }): Promise<BenchResult[]> {
  const referrals = options.quick ? 40 : 200;
  const watched = options.quick ? 20 : 50;
  const namespace = benchNamespace();
  const dataDir = mkdtempSync(join(tmpdir(), 'nrm-bench-kafka-referral-'));
  const running: NrmProcess[] = [];
  try {
    const start = async (agency: Agency) => {
      const nrm = await startNrm([agency, '--bus', `kafka://${brokers.join(',')}?namespace=${namespace}`, '--store', `sqlite:${join(dataDir, `${agency}.db`)}`, '--data-dir', dataDir, '--port', '0'], { timeoutMs: 60_000 });
      running.push(nrm);
      return nrm.url;
    };
    // One after the other: the first creates the development keys in the data directory, the second reads them.
    const urls = { intake: await start('intake'), identification: await start('identification') };
    const clients = { intake: await createBackboneClient({ baseUrl: urls.intake, dataDir }), identification: await createBackboneClient({ baseUrl: urls.identification, dataDir }) };
    for (let i = 0; i < WARM_UP; i++) await waitForInbox(clients.identification, [await issueReferral(clients.intake)], { timeoutMs: 120_000, pollMs: 20 });

    const toInbox: number[] = [];
    for (let i = 0; i < watched; i++) {
      const caseId = await issueReferral(clients.intake);
      const returned = performance.now();
      await waitForInbox(clients.identification, [caseId], { timeoutMs: 15_000, pollMs: 5 });
      toInbox.push(performance.now() - returned);
    }

    const caseIds: string[] = [];
    for (let i = 0; i < referrals; i++) {
      caseIds.push(await issueReferral(clients.intake));
      await sleep(PAUSE_MS);
    }
    await waitForInbox(clients.identification, caseIds, { timeoutMs: 30_000, pollMs: 200 });
    for (const nrm of running.splice(0)) await nrm.stop();

    const recorded = await recordedReferrals(dataDir, caseIds);
    const produced = await producedAt(brokers, namespace, new Set(recorded.map((referral) => referral.issuedId)));
    const sorted = (values: number[]) => values.sort((a, b) => a - b);
    const total = sorted(recorded.map((referral) => referral.receivedAt - referral.issuedAt));
    const relay = sorted(recorded.map((referral) => produced.get(referral.issuedId)! - referral.issuedAt));
    const onward = sorted(recorded.map((referral) => referral.receivedAt - produced.get(referral.issuedId)!));
    toInbox.sort((a, b) => a - b);
    return [
      {
        name: 'kafka referral latency p99 (2 processes)',
        value: percentile(total, 99),
        unit: 'ms',
        target: { value: 100, better: 'lower' },
        detail: {
          referrals,
          ...summary(total, ''),
          ...summary(relay, 'relay_'),
          ...summary(onward, 'kafka_to_received_'),
          note: `nrm start intake + nrm start identification, --bus kafka (own namespace), own durable SQLite stores; ReferralIssued recordedAt → ReferralReceived recordedAt, one referral every ~${PAUSE_MS} ms plus its 3 POSTs; relay_ = recordedAt → Kafka message timestamp (intake's commit and fsync, the relay waking, encoding), kafka_to_received_ = the rest (broker, identification's fetch, decoding, its decision and append)`,
        },
      },
      {
        name: 'kafka referral to inbox p99 (2 processes)',
        value: round(percentile(toInbox, 99), 1),
        unit: 'ms',
        detail: { referrals: watched, ...summary(toInbox, ''), note: 'the POST of the referral returned → GET /v1/identification/inbox lists it (a read model), polled every 5 ms' },
      },
    ];
  } finally {
    for (const nrm of running) await nrm.stop();
    await deleteKafkaNamespace(brokers, namespace);
    rmSync(dataDir, { recursive: true, force: true });
  }
}
