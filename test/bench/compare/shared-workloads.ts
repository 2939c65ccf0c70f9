// The workloads every store runs, NRM Backbone's and its peers', with the same events in the same
// order: single appends one after another; 64 writers on distinct streams; 50 writers racing on one
// stream (each conflict re-reads the stream and retries); bulk import in batches of 1,000; reading
// one 1,000-event stream; reading the whole store. Each run gets a fresh store; the figure is the
// median over the runs, with the spread (min–max) beside it.
import { newId } from '@nrm/contracts';
import { percentile, round } from '../measure.ts';
import type { BenchEvent, BenchStore, BenchStoreFactory } from './bench-store.ts';

export type WorkloadName = 'append.single' | 'append.64-writers' | 'append.50-on-one-stream' | 'append.bulk' | 'read.stream' | 'read.all';
export const WORKLOADS: readonly WorkloadName[] = ['append.single', 'append.64-writers', 'append.50-on-one-stream', 'append.bulk', 'read.stream', 'read.all'];

/** Untimed appends at the start of every run: schema creation and JIT warm-up are not measured. */
const WARM_UP_EVENTS = 50;

export type WorkloadSizes = { single: number; writers64PerWriter: number; oneStreamEvents: number; bulkEvents: number; streamEvents: number; streamReads: number };

export const FULL_SIZES: WorkloadSizes = { single: 2_000, writers64PerWriter: 100, oneStreamEvents: 300, bulkEvents: 50_000, streamEvents: 1_000, streamReads: 50 };
export const QUICK_SIZES: WorkloadSizes = { single: 300, writers64PerWriter: 20, oneStreamEvents: 100, bulkEvents: 10_000, streamEvents: 1_000, streamReads: 10 };

/** One run of one workload: events (or reads) per second, and the latencies where they mean something. */
export type RunFigure = { rate: number; p50Ms?: number; p99Ms?: number; conflicts?: number };

export type WorkloadFigure = {
  workload: WorkloadName;
  subject: string;
  engine: 'sqlite' | 'postgresql';
  unit: string;
  median: number;
  min: number;
  max: number;
  runs: RunFigure[];
};

/** A referral-sized payload, the same bytes for every store. */
export function benchEvent(): BenchEvent {
  return {
    id: newId(),
    type: 'intake.ReferralIssued',
    data: {
      referralId: newId(),
      to: 'identification',
      kind: 'verification',
      priority: 'normal',
      involvesChild: false,
      summary: 'Tip from hotline 111: two women reported held at a karaoke venue near the border gate.',
      acceptBy: '2026-11-24T08:00:00.000Z',
      victimName: { sealed: 'nrm.v1', kid: 'k1', alg: 'A256GCM', iv: 'AAAAAAAAAAAAAAAA', ct: 'x'.repeat(48), tag: 'B'.repeat(22) },
    },
  };
}

function mustBeOk(outcome: 'ok' | 'conflict', what: string): void {
  if (outcome !== 'ok') throw new Error(`${what}: unexpected conflict`);
}

async function single(store: BenchStore, sizes: WorkloadSizes): Promise<RunFigure> {
  const latencies: number[] = [];
  const start = performance.now();
  for (let i = 0; i < sizes.single; i++) {
    const began = performance.now();
    mustBeOk(await store.append(`single-${i % 200}`, [benchEvent()], 'any'), 'single append');
    latencies.push(performance.now() - began);
  }
  const seconds = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  return { rate: sizes.single / seconds, p50Ms: round(percentile(latencies, 50), 3), p99Ms: round(percentile(latencies, 99), 3) };
}

async function writers64(store: BenchStore, sizes: WorkloadSizes): Promise<RunFigure> {
  const start = performance.now();
  await Promise.all(
    Array.from({ length: 64 }, async (_, writer) => {
      for (let i = 0; i < sizes.writers64PerWriter; i++) mustBeOk(await store.append(`writer-${writer}`, [benchEvent()], i), `writer ${writer}`);
    }),
  );
  return { rate: (64 * sizes.writers64PerWriter) / ((performance.now() - start) / 1000) };
}

/** 50 writers append to one stream, each believing what it last read; a loser re-reads and tries again. */
async function fiftyOnOneStream(store: BenchStore, sizes: WorkloadSizes): Promise<RunFigure> {
  const stream = `contended-${newId()}`;
  let written = 0;
  let conflicts = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: 50 }, async () => {
      let known = await store.readStream(stream);
      while (written < sizes.oneStreamEvents) {
        if ((await store.append(stream, [benchEvent()], known)) === 'ok') {
          written++;
          known++;
        } else {
          conflicts++;
          known = await store.readStream(stream);
        }
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  const stored = await store.readStream(stream);
  if (stored !== written) throw new Error(`50 writers on one stream: ${written} appends succeeded but the stream holds ${stored}`);
  return { rate: written / seconds, conflicts };
}

async function bulk(store: BenchStore, sizes: WorkloadSizes): Promise<RunFigure> {
  const batch = 1_000;
  const start = performance.now();
  for (let done = 0; done < sizes.bulkEvents; done += batch) {
    mustBeOk(await store.append(`import-${done / batch}`, Array.from({ length: batch }, benchEvent), 0), 'bulk import');
  }
  return { rate: sizes.bulkEvents / ((performance.now() - start) / 1000) };
}

async function readOneStream(store: BenchStore, sizes: WorkloadSizes): Promise<RunFigure> {
  const stream = `read-${newId()}`;
  mustBeOk(await store.append(stream, Array.from({ length: sizes.streamEvents }, benchEvent), 0), 'read fixture');
  const latencies: number[] = [];
  const start = performance.now();
  for (let i = 0; i < sizes.streamReads; i++) {
    const began = performance.now();
    const count = await store.readStream(stream);
    latencies.push(performance.now() - began);
    if (count !== sizes.streamEvents) throw new Error(`read one stream: ${count} of ${sizes.streamEvents} events`);
  }
  latencies.sort((a, b) => a - b);
  return { rate: (sizes.streamReads * sizes.streamEvents) / ((performance.now() - start) / 1000), p50Ms: round(percentile(latencies, 50), 3), p99Ms: round(percentile(latencies, 99), 3) };
}

async function readEverything(store: BenchStore, sizes: WorkloadSizes): Promise<RunFigure> {
  // The bulk import's volume, written untimed, then read from the start.
  for (let done = 0; done < sizes.bulkEvents; done += 1_000) mustBeOk(await store.append(`all-${done}`, Array.from({ length: 1_000 }, benchEvent), 0), 'readAll fixture');
  const start = performance.now();
  const count = await store.readAll();
  const seconds = (performance.now() - start) / 1000;
  if (count !== sizes.bulkEvents + WARM_UP_EVENTS) throw new Error(`readAll: ${count} of ${sizes.bulkEvents + WARM_UP_EVENTS} events`);
  return { rate: count / seconds };
}

const RUNNERS: Record<WorkloadName, { unit: string; run(store: BenchStore, sizes: WorkloadSizes): Promise<RunFigure> }> = {
  'append.single': { unit: 'appends/s', run: single },
  'append.64-writers': { unit: 'events/s', run: writers64 },
  'append.50-on-one-stream': { unit: 'events/s', run: fiftyOnOneStream },
  'append.bulk': { unit: 'events/s', run: bulk },
  'read.stream': { unit: 'events/s', run: readOneStream },
  'read.all': { unit: 'events/s', run: readEverything },
};

/**
 * Each subject's code paths are warmed once per process, on a throwaway store, before its first
 * timed run: the first thousand appends of a process run at less than half the steady speed
 * (JIT), which would otherwise be measured as the store's.
 */
const WARM_UP_APPENDS = 1_000;
const warmed = new Set<BenchStoreFactory>();

async function warmUp(factory: BenchStoreFactory): Promise<void> {
  if (warmed.has(factory)) return;
  warmed.add(factory);
  const store = await factory.open();
  try {
    for (let i = 0; i < WARM_UP_APPENDS; i++) await store.append(`warm-up-${i % 100}`, [benchEvent()], 'any');
    await store.readStream('warm-up-0');
  } finally {
    await store.close();
  }
}

/** Runs one workload `runs` times on fresh stores of the factory. */
export async function runWorkload(factory: BenchStoreFactory, workload: WorkloadName, sizes: WorkloadSizes, runs: number): Promise<WorkloadFigure> {
  await warmUp(factory);
  const figures: RunFigure[] = [];
  for (let run = 0; run < runs; run++) {
    const store = await factory.open();
    try {
      for (let i = 0; i < WARM_UP_EVENTS; i++) await store.append(`warm-up-${i % 5}`, [benchEvent()], 'any');
      const figure = await RUNNERS[workload].run(store, sizes);
      figures.push({ ...figure, rate: Math.round(figure.rate) });
    } finally {
      await store.close();
    }
  }
  const rates = figures.map((figure) => figure.rate).sort((a, b) => a - b);
  return { workload, subject: factory.subject, engine: factory.engine, unit: RUNNERS[workload].unit, median: rates[Math.floor(rates.length / 2)]!, min: rates[0]!, max: rates.at(-1)!, runs: figures };
}
