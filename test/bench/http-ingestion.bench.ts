// HTTP ingestion end to end: 64 concurrent clients (an agency's systems, each with its own token
// and keep-alive connection) POST facts to /v1/intake/events of `nrm start` running as a child
// process (embedded: all seven services, SQLite durable store, real JWT auth). Each request is
// timed from sending it until its whole answer is read; every fact must be answered `accepted`.
// Afterwards (untimed) the stopped process's store must hold exactly the accepted facts' events,
// with an intact hash chain.
//
// Per request the server does: JWT (Ed25519) verification, zod validation of the batch and of
// each fact's payload, sealing the tip's personal data in the vault, loading the (new) case
// stream and deciding, the optimistic concurrency check, hashing the event into the chain, the
// durable SQLite commit, and the embedded bus and projections reacting to the new event.
//
// The load generator runs in this process on the same machine: with 2 cores, client and server
// share the CPU, so the figures are a lower bound for a server on its own machine.
//
// NRM_BENCH_CPU_PROF_DIR=<dir>: the child writes a V8 CPU profile there when it stops.
import { Agent, request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { newId } from '@nrm/contracts';
import { openEventStore } from '@nrm/eventstore';
import { percentile, round } from './measure.ts';
import type { BenchResult } from './measure.ts';
import { mintAgencyTokens, startBenchBackbone } from './nrm-process.ts';

export const INGESTION_CLIENTS = 64;
/** The target's rate (issue 8: ≥ 3,000 events/s at p99 ≤ 25 ms), offered open-loop for the p99 (ADR 0014). */
const PACED_RATE = 3000;
const INGESTION_PATH = '/v1/intake/events';

/** A tip as the 111 hotline's call software sends it: a fact that opens a case of its own. */
const TIP = {
  channel: 'hotline-111',
  province: 'Lào Cai',
  allegedPlace: { country: 'CN', locality: 'a karaoke bar across the Hekou gate' },
  peopleCount: 2,
  minorCount: 1,
  statement: 'My sister was taken across the border.',
};

/** A request body of `facts` new tips (no caseId: each opens a case whose id derives from the fact's). */
export function tipBatch(facts: number): Buffer {
  return Buffer.from(JSON.stringify({ events: Array.from({ length: facts }, () => ({ id: newId(), type: 'intake.TipReceived', data: TIP })) }));
}

export type IngestionLoadOptions = {
  url: string;
  /** One per client (reused round-robin when fewer). */
  tokens: readonly string[];
  clients: number;
  factsPerRequest: number;
  /** Send exactly this many requests (bodies made before timing starts)… */
  requests?: number;
  /** …or keep sending until this many ms have passed (bodies made on the way). */
  durationMs?: number;
  /**
   * Open loop: the clients together send this many requests a second on a fixed schedule (each
   * client every clients ÷ rate seconds, the clients staggered evenly), whatever the answers'
   * speed. Latency counts from the scheduled moment, so a request sent late because its client
   * still waited on the one before is charged that wait (no coordinated omission). Without it,
   * each client sends its next request as soon as the last is answered (closed loop).
   */
  ratePerSecond?: number;
};

export type IngestionLoadResult = {
  requests: number;
  facts: number;
  accepted: number;
  /** Per request, ms, sorted: send → whole answer read; paced, scheduled moment → whole answer read. */
  latenciesMs: number[];
  /** Paced runs only: per request, ms, sorted, from actually sending it (the server's share). */
  serviceMs: number[];
  ms: number;
  /** Anything but a 200 with every fact accepted, by kind. */
  errors: Record<string, number>;
  errorCount: number;
  /** Ids of the events the accepted facts recorded, as the answers name them. */
  eventIds: string[];
};

type Answer = { status: number; text: string };

function post(agent: Agent, url: URL, token: string, body: Buffer): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const sent = request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        path: INGESTION_PATH,
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': body.length },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', reject);
      },
    );
    sent.on('error', reject);
    sent.setTimeout(30_000, () => sent.destroy(new Error('no answer within 30 s')));
    sent.end(body);
  });
}

type IngestionAnswer = { accepted?: number; results?: { status?: string; rule?: string; events?: { id: string }[] }[] };

/** Runs `clients` concurrent senders, each with its own keep-alive connection, one request at a time. */
export async function runIngestionLoad(options: IngestionLoadOptions): Promise<IngestionLoadResult> {
  if (options.requests === undefined && options.durationMs === undefined) throw new Error('runIngestionLoad needs requests or durationMs');
  if (options.ratePerSecond !== undefined && !(options.ratePerSecond > 0 && Number.isFinite(options.ratePerSecond))) throw new Error(`runIngestionLoad: ratePerSecond must be a positive number, not ${options.ratePerSecond}`);
  const url = new URL(options.url);
  const agent = new Agent({ keepAlive: true, maxSockets: options.clients, maxFreeSockets: options.clients });
  const bodies = options.requests === undefined ? null : Array.from({ length: options.requests }, () => tipBatch(options.factsPerRequest));
  const latencies: number[] = [];
  const service: number[] = [];
  const errors: Record<string, number> = {};
  const eventIds: string[] = [];
  let errorCount = 0;
  let accepted = 0;
  let sent = 0;
  const fail = (kind: string) => {
    errors[kind] = (errors[kind] ?? 0) + 1;
    errorCount++;
  };
  const started = performance.now();
  const deadline = options.durationMs === undefined ? Infinity : started + options.durationMs;
  // Paced: client c sends its k-th request at started + (c / clients + k) × interval.
  const interval = options.ratePerSecond === undefined ? 0 : (options.clients * 1000) / options.ratePerSecond;
  const next = (): Buffer | undefined => {
    if (bodies) return sent < bodies.length ? bodies[sent++] : undefined;
    if (performance.now() >= deadline) return undefined;
    sent++;
    return tipBatch(options.factsPerRequest);
  };
  try {
    await Promise.all(
      Array.from({ length: options.clients }, async (_, client) => {
        const token = options.tokens[client % options.tokens.length]!;
        let scheduled = started + (client / options.clients) * interval;
        for (let body = next(); body !== undefined; body = next(), scheduled += interval) {
          if (interval > 0) {
            const early = scheduled - performance.now();
            if (early > 0) await sleep(early);
          }
          const begun = performance.now();
          let answer: Answer;
          try {
            answer = await post(agent, url, token, body);
          } catch (error) {
            fail(`network: ${(error as Error).message}`);
            continue;
          }
          const answered = performance.now();
          // From the scheduled moment, or from the send if a timer fired early (Node's timers
          // count whole milliseconds): never less than the request actually took.
          latencies.push(answered - (interval > 0 ? Math.min(scheduled, begun) : begun));
          if (interval > 0) service.push(answered - begun);
          if (answer.status !== 200) {
            fail(`HTTP ${answer.status}: ${answer.text.slice(0, 200)}`);
            continue;
          }
          const parsed = JSON.parse(answer.text) as IngestionAnswer;
          const results = parsed.results ?? [];
          for (const result of results) {
            if (result.status === 'accepted' && result.events && result.events.length > 0) {
              accepted++;
              for (const event of result.events) eventIds.push(event.id);
            } else fail(`fact ${result.status ?? 'unanswered'}${result.rule ? ` (${result.rule})` : ''}`);
          }
          if (results.length !== options.factsPerRequest) fail(`answered ${results.length} of ${options.factsPerRequest} facts`);
        }
      }),
    );
  } finally {
    agent.destroy();
  }
  const ms = performance.now() - started;
  latencies.sort((a, b) => a - b);
  service.sort((a, b) => a - b);
  return { requests: sent, facts: sent * options.factsPerRequest, accepted, latenciesMs: latencies, serviceMs: service, ms, errors, errorCount, eventIds };
}

function describeErrors(load: IngestionLoadResult): string {
  return Object.entries(load.errors)
    .map(([kind, count]) => `${count}× ${kind}`)
    .join('; ');
}

export async function benchHttpIngestion(options: { quick: boolean }): Promise<BenchResult[]> {
  const profileDir = process.env.NRM_BENCH_CPU_PROF_DIR;
  const backbone = await startBenchBackbone({
    name: 'http-ingestion',
    env: { NRM_RATE_LIMIT_PER_MINUTE: '0' },
    ...(profileDir ? { nodeOptions: `--cpu-prof --cpu-prof-dir=${profileDir}` } : {}),
  });
  try {
    const tokens = await mintAgencyTokens(backbone.dataDir, 'intake', INGESTION_CLIENTS);
    // Requests per client in the timed one-fact run (12,800 in all for a full run: 128 above the p99).
    const perClient = options.quick ? 50 : 200;
    const runs: IngestionLoadResult[] = [];
    const checked = async (what: string, factsPerRequest: number, requests: number, ratePerSecond?: number) => {
      const run = await runIngestionLoad({ url: backbone.url, tokens, clients: INGESTION_CLIENTS, factsPerRequest, requests, ...(ratePerSecond ? { ratePerSecond } : {}) });
      runs.push(run);
      if (run.errorCount > 0) throw new Error(`http ingestion (${what}): ${run.errorCount} of ${run.requests} requests not answered 200 with every fact accepted: ${describeErrors(run)}`);
      return run;
    };

    // Untimed warm-up: connections, JIT, SQLite page cache.
    await checked('warm-up', 1, INGESTION_CLIENTS * (options.quick ? 10 : 20));
    await checked('warm-up, batches', 10, INGESTION_CLIENTS * 2);
    const single = await checked('one fact per request', 1, INGESTION_CLIENTS * perClient);
    // The target's load offered on a schedule: 1.5× the closed run's requests (19,200, 6.4 s, for a full run).
    const paced = await checked(`one fact per request at ${PACED_RATE}/s`, 1, INGESTION_CLIENTS * Math.round(perClient * 1.5), PACED_RATE);
    const batched = await checked('10 facts per request', 10, INGESTION_CLIENTS * Math.ceil(perClient / 10));

    // Untimed: the store holds exactly the accepted facts' events, chained intact.
    const exitCode = await backbone.stop();
    if (exitCode !== 0) throw new Error(`nrm start exited with ${exitCode} after the http ingestion benchmark`);
    const expected = new Set(runs.flatMap((run) => run.eventIds));
    const store = await openEventStore(backbone.storeUrl);
    let stored = 0;
    let unexpected = 0;
    let chain;
    try {
      for await (const event of store.readAll({ filter: { streamPrefixes: ['intake-case-'] } })) {
        stored++;
        if (!expected.has(event.id)) unexpected++;
      }
      chain = await store.verifyAll();
    } finally {
      await store.close();
    }
    const acceptedEvents = runs.reduce((sum, run) => sum + run.eventIds.length, 0);
    if (expected.size !== acceptedEvents || stored !== expected.size || unexpected > 0) {
      throw new Error(`http ingestion: the store holds ${stored} intake case events (${unexpected} not among the answers), the answers named ${acceptedEvents} (${expected.size} distinct)`);
    }
    if (!chain.ok) throw new Error(`http ingestion: the hash chain is broken: ${JSON.stringify(chain)}`);

    const perSecond = (run: IngestionLoadResult) => Math.round(run.accepted / (run.ms / 1000));
    const common = {
      clients: INGESTION_CLIENTS,
      verified: `store holds exactly the ${stored} accepted events of this run (warm-up included); hash chain intact`,
      server: 'nrm start (child process, embedded: 7 services), SQLite durable store, dev-key Ed25519 JWT; NRM_RATE_LIMIT_PER_MINUTE=0 (64 clients of one agency would otherwise share 6,000/min)',
      measured:
        'closed loop (each client sends its next request when the last is answered: the server at saturation), client-side, send → whole answer read: JWT verify, zod validation, vault sealing, load + decide, concurrency check, hash chain, durable SQLite commit, bus/projection reactions; the load generator shares the 2 cores',
    };
    const detailOf = (run: IngestionLoadResult, factsPerRequest: number) => ({
      facts_per_request: factsPerRequest,
      requests: run.requests,
      facts_accepted: run.accepted,
      errors: run.errorCount,
      duration_s: round(run.ms / 1000, 2),
      requests_per_s: Math.round(run.requests / (run.ms / 1000)),
      p50_ms: round(percentile(run.latenciesMs, 50), 1),
      p90_ms: round(percentile(run.latenciesMs, 90), 1),
      p99_ms: round(percentile(run.latenciesMs, 99), 1),
      max_ms: round(run.latenciesMs.at(-1) ?? Number.NaN, 1),
      ...common,
    });
    const pacedDetail = {
      ...detailOf(paced, 1),
      offered_per_s: PACED_RATE,
      achieved_per_s: perSecond(paced),
      service_p50_ms: round(percentile(paced.serviceMs, 50), 1),
      service_p99_ms: round(percentile(paced.serviceMs, 99), 1),
      measured: `open loop: the ${INGESTION_CLIENTS} clients send ${PACED_RATE} requests/s on a fixed schedule (each every ${round((INGESTION_CLIENTS * 1000) / PACED_RATE, 1)} ms, staggered); latency from the scheduled moment to the whole answer read, so a request sent late behind a slow one is charged the wait; service_* from the actual send; the load generator shares the 2 cores`,
    };
    return [
      { name: 'http.ingestion.64-clients.events-per-second', value: perSecond(single), unit: 'events/s', target: { value: 3000, better: 'higher' }, detail: detailOf(single, 1) },
      { name: `http.ingestion.64-clients.at-${PACED_RATE}-per-s.p99`, value: round(percentile(paced.latenciesMs, 99), 1), unit: 'ms', target: { value: 25, better: 'lower' }, detail: pacedDetail },
      { name: 'http.ingestion.64-clients.saturated.p99', value: round(percentile(single.latenciesMs, 99), 1), unit: 'ms', detail: detailOf(single, 1) },
      { name: 'http.ingestion.64-clients.batch-10.events-per-second', value: perSecond(batched), unit: 'events/s', detail: detailOf(batched, 10) },
      { name: 'http.ingestion.64-clients.batch-10.p99', value: round(percentile(batched.latenciesMs, 99), 1), unit: 'ms', detail: detailOf(batched, 10) },
    ];
  } finally {
    await backbone.stop();
    backbone.remove();
  }
}
