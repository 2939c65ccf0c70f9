// Growth: does a durable append, and an auditor's case history, cost the same at 10k, 100k and
// 1,000,000 events in the log? One durable SQLite event store (and the audit service's own
// archive beside it, fed with the same events) is grown in steps — untimed, by concurrent
// group-committed appends of whole cases — and a file copy of both is kept at each step. Then
// every size is measured in rounds, over random cases spread across its whole log, the sizes
// taking turns every 10 samples, so a shared machine's outside load falls on all sizes alike.
// "Flat" is made checkable by two ratios: p99 at the largest size over p99 at 10k (target ≤ 1.5).
// Also draws bench/growth.svg.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { createSqliteEventStore } from '@nrm/eventstore';
import { testEvent } from '@nrm/eventstore/testing';
import { caseHistory, createSqliteArchiveStore } from '@nrm/audit';
import type { ArchiveStore } from '@nrm/audit';
import { newId } from '@nrm/contracts';
import type { NewEvent, RecordedEvent } from '@nrm/contracts';
import { percentile, round } from './measure.ts';
import type { BenchResult } from './measure.ts';
import { renderGrowthChart } from './growth-chart.ts';
import type { GrowthPoint } from './growth-chart.ts';

/** The agencies a case passes through; each records its part of the case on a stream of its own. */
const CASE_AGENCIES = ['intake', 'identification', 'protection'] as const;
type CaseAgency = (typeof CASE_AGENCIES)[number];
/** Case sizes: 20 … 40 events, so each agency's part (≤ 14 events) is one append. */
const MIN_CASE_EVENTS = 20;
const MAX_CASE_EVENTS = 40;
/** Concurrent writers while filling: their appends are group-committed (one fsync per batch). */
const FILL_WRITERS = 64;
/** Events handed to the archive per `record` call (one transaction) while filling. */
const ARCHIVE_BATCH = 8192;

export const GROWTH_CHART_PATH = join(import.meta.dirname, '..', '..', 'bench', 'growth.svg');

export type GrowthOptions = {
  quick: boolean;
  /** Log sizes to measure at; defaults to 10k, 100k, 1M (quick: 10k, 100k). */
  steps?: readonly number[];
  /** Where the chart goes; defaults to bench/growth.svg, null for none. */
  chartPath?: string | null;
};

type Case = { caseId: string; streams: { stream: string; agency: CaseAgency }[]; events: number };

/** A realistic event, as in event-store.bench.ts: a referral-sized payload with one sealed personal field. */
function realisticEvent(caseId: string, agency: CaseAgency, causationId: string | null): NewEvent {
  return testEvent({
    type: `${agency}.ReferralIssued`,
    agency,
    actor: `${agency}-officer`,
    caseId,
    causationId,
    data: {
      referralId: newId(),
      to: 'protection',
      kind: 'protection',
      priority: 'normal',
      involvesChild: false,
      summary: 'Tip from hotline 111: two women reported held at a karaoke venue near the border gate.',
      acceptBy: '2026-11-24T08:00:00.000Z',
      victimName: { sealed: 'nrm.v1', subject: caseId, kid: 'k1', alg: 'A256GCM', iv: 'AAAAAAAAAAAAAAAA', ct: 'x'.repeat(48), tag: 'B'.repeat(22) },
    },
  });
}

/** A seeded walk, so runs compare. */
function seeded(seed: number): (below: number) => number {
  let state = seed;
  return (below) => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state % below;
  };
}

function stepLabel(events: number): string {
  if (events >= 1_000_000 && events % 1_000_000 === 0) return `${events / 1_000_000}M`;
  if (events >= 1_000 && events % 1_000 === 0) return `${events / 1_000}k`;
  return String(events);
}

const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

type Rounds = { p50: number; p99: number; max: number; roundsP99: number[] };

/** Each round's percentiles; the figure is the median round (one burst of noise on a shared VM moves one round, not the figure). */
function roundStats(rounds: readonly (readonly number[])[]): Rounds {
  const p50s = rounds.map((sorted) => percentile(sorted, 50));
  const p99s = rounds.map((sorted) => percentile(sorted, 99));
  return { p50: median(p50s), p99: median(p99s), max: Math.max(...rounds.map((sorted) => sorted.at(-1) ?? Number.NaN)), roundsP99: p99s };
}

/** A store and its archive, filled and measured together. */
type Harness = {
  store: ReturnType<typeof createSqliteEventStore>;
  archive: ArchiveStore;
  cases: Case[];
  /** Seconds spent in archive.record so far (part of the fill). */
  archiveSeconds: () => number;
  logEvents: () => Promise<number>;
  fillTo: (target: number) => Promise<void>;
  /** The fill's WAL checkpointed into both files (the WAL files keeping their size), so every step is timed from the same state. */
  settle: () => Promise<void>;
  /** A copy of both files as they are now (settled first), opened as a harness of its own. */
  snapshot: (dir: string) => Promise<Harness>;
  appendToRandomCase: () => Promise<number>;
  caseHistoryOf: (chosen: Case) => Promise<number>;
  storeReadOf: (chosen: Case) => Promise<number>;
  /**
   * A random case anywhere in the log: appends go to even-numbered cases, case histories read
   * odd-numbered ones, so the cases read keep their 20–40 events however many appends a size took.
   */
  randomCase: (purpose: 'append' | 'read') => Case;
  close: () => Promise<void>;
};

function openHarness(dir: string, seed: number, existing?: { cases: readonly Case[]; archived: number }): Harness {
  mkdirSync(dir, { recursive: true });
  const store = createSqliteEventStore({ path: join(dir, 'events.db') });
  // The audit service keeps its archive on its own store's SQLite connection (cli storage-setup:
  // the same file, the same pragmas — WAL, synchronous=FULL, a 64 MiB page cache): so here too.
  const auditStore = createSqliteEventStore({ path: join(dir, 'audit.db') });
  const archive = createSqliteArchiveStore({ database: auditStore.database });
  const cases: Case[] = existing ? existing.cases.map((one) => ({ ...one })) : [];
  const random = seeded(seed);
  let pending: RecordedEvent[] = [];
  let archived = existing?.archived ?? 0;
  let archiveMs = 0;

  /** Hands the recorded events to the archive, in log order, as the archive consumer would. */
  async function archiveNow(): Promise<void> {
    if (pending.length === 0) return;
    const batch = pending.sort((a, b) => a.position - b.position);
    pending = [];
    const start = performance.now();
    const outcome = await archive.record(batch);
    archiveMs += performance.now() - start;
    if (outcome.added !== batch.length || outcome.conflicts.length > 0) throw new Error(`the archive took ${outcome.added} of ${batch.length} events`);
    archived += outcome.added;
  }

  const harness: Harness = {
    store,
    archive,
    cases,
    archiveSeconds: () => archiveMs / 1000,
    logEvents: async () => (await store.headPosition()) + 1,

    /** Whole cases, each agency's part one append, by concurrent writers, until the log holds `target` events. */
    async fillTo(target) {
      let planned = await harness.logEvents();
      const fillRandom = seeded(target + seed);
      await Promise.all(
        Array.from({ length: FILL_WRITERS }, async () => {
          while (planned < target) {
            const size = MIN_CASE_EVENTS + fillRandom(MAX_CASE_EVENTS - MIN_CASE_EVENTS + 1);
            planned += size;
            const caseId = newId();
            const parts = CASE_AGENCIES.map((agency) => ({ stream: `${agency}-case-${caseId}`, agency, events: [] as NewEvent[] }));
            let cause: string | null = null;
            for (let i = 0; i < size; i++) {
              const part = parts[Math.floor((i * parts.length) / size)]!;
              const event = realisticEvent(caseId, part.agency, cause);
              part.events.push(event);
              cause = event.id;
            }
            for (const part of parts) {
              const appended = await store.append(part.stream, part.events, { expectedRevision: 'no_stream' });
              pending.push(...appended.events);
              if (pending.length >= ARCHIVE_BATCH) await archiveNow();
            }
            cases.push({ caseId, streams: parts.map(({ stream, agency }) => ({ stream, agency })), events: size });
          }
        }),
      );
      await archiveNow();
      const logEvents = await harness.logEvents();
      if (archived !== logEvents) throw new Error(`the archive holds ${archived} of ${logEvents} events`);
    },

    async settle() {
      await archiveNow();
      // RESTART, not TRUNCATE: the next commit starts the WAL over but the file keeps its size, as
      // the copies' WAL does (pre-sized when they open, sqlite-wal-reserve.ts). A truncated WAL
      // grows again with every commit, and on ext4 an fsync that carries a size change costs a
      // journal commit too: the store grown to the largest size measured slower than its copies
      // (quick runs: append p50 1.67-1.98x at 100k against 10k; with RESTART 1.01-1.04x).
      const checkpoint = (database: DatabaseSync, file: string) => {
        const outcome = database.prepare('PRAGMA wal_checkpoint(RESTART)').get() as { busy: number };
        if (outcome.busy !== 0) throw new Error(`could not checkpoint ${file}`);
      };
      checkpoint(store.database, 'events.db');
      checkpoint(auditStore.database, 'audit.db');
      await new Promise((resolve) => setTimeout(resolve, 500));
    },

    async snapshot(to) {
      await harness.settle();
      // Idle and checkpointed (every frame of the WAL is in the database file): the database files alone hold everything.
      mkdirSync(to, { recursive: true });
      copyFileSync(join(dir, 'events.db'), join(to, 'events.db'));
      copyFileSync(join(dir, 'audit.db'), join(to, 'audit.db'));
      return openHarness(to, seed + 1, { cases, archived });
    },

    /** One durable 1-event append to an existing case stream (a random case anywhere in the log); its milliseconds. */
    async appendToRandomCase() {
      const chosen = harness.randomCase('append');
      const last = chosen.streams.at(-1)!;
      const event = realisticEvent(chosen.caseId, last.agency, null);
      const start = performance.now();
      const appended = await store.append(last.stream, [event]);
      const ms = performance.now() - start;
      chosen.events++;
      // Archived later, in one batch, untimed.
      pending.push(...appended.events);
      return ms;
    },

    /** The case history as the audit route builds it: one archive query, causal order and graph, the JSON sent. */
    async caseHistoryOf(chosen) {
      await archiveNow();
      const start = performance.now();
      const history = caseHistory(await archive.caseEvents(chosen.caseId));
      const json = JSON.stringify(history);
      const ms = performance.now() - start;
      if (json.length === 0 || history.events.length !== chosen.events) throw new Error(`case ${chosen.caseId}: history has ${history.events.length} of ${chosen.events} events`);
      return ms;
    },

    /** The store's side, for comparison: readStream of each of the case's streams (the store has no case index). */
    async storeReadOf(chosen) {
      const start = performance.now();
      let count = 0;
      for (const { stream } of chosen.streams) count += (await store.readStream(stream)).length;
      const ms = performance.now() - start;
      if (count !== chosen.events) throw new Error(`case ${chosen.caseId}: its streams hold ${count} of ${chosen.events} events`);
      return ms;
    },

    randomCase: (purpose) => {
      const index = purpose === 'append' ? 2 * random(Math.ceil(cases.length / 2)) : 2 * random(Math.floor(cases.length / 2)) + 1;
      return cases[index]!;
    },

    async close() {
      await store.close();
      await archive.close();
      await auditStore.close();
    },
  };
  return harness;
}

/** Runs `body` `warmUp + samples` times; the sorted milliseconds of the last `samples`. */
async function sample(samples: number, warmUp: number, body: () => Promise<number>): Promise<number[]> {
  const ms: number[] = [];
  for (let i = 0; i < warmUp + samples; i++) {
    const one = await body();
    if (i >= warmUp) ms.push(one);
  }
  return ms.sort((a, b) => a - b);
}

/** Samples per size before the next size takes its turn (see `interleaved`). */
const INTERLEAVE_BLOCK = 10;

/**
 * `samples` timings of `body(size)` for every size, the sizes taking turns every
 * INTERLEAVE_BLOCK samples (the first size of each turn rotating), after `warmUp` untimed each.
 * A burst of outside load on a shared VM lasts longer than one turn, so it falls on every size
 * alike instead of on the one whose 600 samples it met (a round's p99 is only its 6th-worst
 * sample, so one burst decided it). Per size, the sorted milliseconds.
 */
async function interleaved(sizes: number, samples: number, warmUp: number, body: (size: number) => Promise<number>): Promise<number[][]> {
  for (let size = 0; size < sizes; size++) for (let i = 0; i < warmUp; i++) await body(size);
  const ms = Array.from({ length: sizes }, () => [] as number[]);
  for (let done = 0, turn = 0; done < samples; done += INTERLEAVE_BLOCK, turn++) {
    const block = Math.min(INTERLEAVE_BLOCK, samples - done);
    for (let k = 0; k < sizes; k++) {
      const size = (turn + k) % sizes;
      for (let i = 0; i < block; i++) ms[size]!.push(await body(size));
    }
  }
  return ms.map((one) => one.sort((a, b) => a - b));
}

export async function benchGrowth(options: GrowthOptions): Promise<BenchResult[]> {
  const steps = [...(options.steps ?? (options.quick ? [10_000, 100_000] : [10_000, 100_000, 1_000_000]))].sort((a, b) => a - b);
  // Per round; the appends add to the log (at 10k: 5 × 600 + 140 ≈ 3,100 events), so not many more.
  const samples = options.quick ? 300 : 600;
  const rounds = 5;
  const dir = mkdtempSync(join(tmpdir(), 'nrm-bench-growth-'));
  const results: BenchResult[] = [];
  const points: (GrowthPoint & { label: string })[] = [];
  const harnesses: Harness[] = [];
  let fillSeconds = 0;

  try {
    // Warm-up on a throwaway store, untimed: the JIT compiles the append, archive and case-history
    // paths here, so the first step (10k) is not measured on colder code than the later ones.
    const warm = openHarness(join(dir, 'warm-up'), 7);
    try {
      await warm.fillTo(5000);
      await warm.settle();
      await sample(1000, 0, () => warm.appendToRandomCase());
      await sample(300, 0, async () => (await warm.caseHistoryOf(warm.randomCase('read'))) + (await warm.storeReadOf(warm.randomCase('read'))));
    } finally {
      await warm.close();
    }

    // Grow one store in steps; at each step but the last, keep a copy of it as it is then. All
    // sizes are measured at the end, interleaved (every size in turn, 10 samples at a time), so the
    // outside load of a shared machine falls on every size alike instead of on whichever ran during it.
    const bench = openHarness(join(dir, 'growth'), 17);
    harnesses.push(bench);
    const grown: { label: string; harness: Harness; events: number; fill: Record<string, number> }[] = [];
    for (const [index, step] of steps.entries()) {
      const before = await bench.logEvents();
      const archiveBefore = bench.archiveSeconds();
      const fillStart = performance.now();
      await bench.fillTo(step);
      const stepFillSeconds = (performance.now() - fillStart) / 1000;
      fillSeconds += stepFillSeconds;
      const events = await bench.logEvents();
      const fill = { fill_events: events - before, fill_s: round(stepFillSeconds, 1), fill_archive_s: round(bench.archiveSeconds() - archiveBefore, 1), fill_events_per_s: Math.round((events - before) / stepFillSeconds) };
      console.log(`growth: filled to ${events} events in ${fill.fill_s} s (${fill.fill_events_per_s} events/s, ${fill.fill_archive_s} s of it archiving)`);
      const harness = index === steps.length - 1 ? bench : await bench.snapshot(join(dir, `at-${stepLabel(step)}`));
      if (harness !== bench) harnesses.push(harness);
      grown.push({ label: stepLabel(step), harness, events, fill });
    }
    await bench.settle();

    // Per round, each interleaved across the sizes: (a) single durable appends, one after another,
    // to random cases' streams; (b) the case history of random cases as the auditor reads it;
    // (c) the store's own reads of the same cases.
    const loadBefore = loadavg()[0]!;
    const measured = grown.map(() => ({ append: [] as number[][], history: [] as number[][], store: [] as number[][] }));
    const harnessOf = (size: number) => grown[size]!.harness;
    for (let pass = 0; pass < rounds; pass++) {
      const appends = await interleaved(grown.length, samples, pass === 0 ? 100 : 10, (size) => harnessOf(size).appendToRandomCase());
      // The same random cases for the archive's case history and the store's own reads.
      const chosen = grown.map(({ harness }) => Array.from({ length: samples + 50 }, () => harness.randomCase('read')));
      const next = grown.map(() => 0);
      const histories = await interleaved(grown.length, samples, 50, (size) => harnessOf(size).caseHistoryOf(chosen[size]![next[size]!++]!));
      next.fill(0);
      const storeReads = await interleaved(grown.length, samples, 50, (size) => harnessOf(size).storeReadOf(chosen[size]![next[size]!++]!));
      for (const [size, into] of measured.entries()) {
        into.append.push(appends[size]!);
        into.history.push(histories[size]!);
        into.store.push(storeReads[size]!);
      }
    }
    const load = `${loadBefore.toFixed(2)} → ${loadavg()[0]!.toFixed(2)}`;

    for (const [index, { label, harness, events, fill }] of grown.entries()) {
      const eventsAfter = await harness.logEvents();
      const append = roundStats(measured[index]!.append);
      const history = roundStats(measured[index]!.history);
      const storeRead = roundStats(measured[index]!.store);
      points.push({ label, events, append: { p50: append.p50, p99: append.p99 }, caseHistory: { p50: history.p50, p99: history.p99 } });
      results.push(
        {
          name: `growth.append.p99@${label}`,
          value: round(append.p99, 3),
          unit: 'ms',
          detail: {
            events_in_log: events,
            events_in_log_after: eventsAfter,
            samples: `${rounds} rounds of ${samples}`,
            figure: 'median round p99',
            rounds_p99_ms: append.roundsP99.map((value) => round(value, 3)).join(' '),
            p50_ms: round(append.p50, 3),
            max_ms: round(append.max, 3),
            load_average: load,
            ...fill,
            note: `one after another: store.append of one realistic event to an existing case stream (a random even-numbered case across the whole log), durable (WAL, synchronous=FULL, one fsync each), after 100 untimed (10 in later rounds); sizes measured after the fill, taking turns every ${INTERLEAVE_BLOCK} samples, the smaller ones on file copies of the one grown store taken at their step (WAL checkpointed). Fill, untimed: ${FILL_WRITERS} concurrent writers of whole cases (${MIN_CASE_EVENTS}–${MAX_CASE_EVENTS} events on ${CASE_AGENCIES.length} agency streams, one append each), the archive fed alongside in batches of ${ARCHIVE_BATCH}`,
          },
        },
        {
          name: `growth.case-history.p99@${label}`,
          value: round(history.p99, 3),
          unit: 'ms',
          detail: {
            events_in_log: events,
            events_in_log_after: eventsAfter,
            cases: harness.cases.length,
            samples: `${rounds} rounds of ${samples}`,
            figure: 'median round p99',
            rounds_p99_ms: history.roundsP99.map((value) => round(value, 3)).join(' '),
            p50_ms: round(history.p50, 3),
            max_ms: round(history.max, 3),
            load_average: load,
            store_read_streams_p50_ms: round(storeRead.p50, 3),
            store_read_streams_p99_ms: round(storeRead.p99, 3),
            note: `a random odd-numbered case (never appended to: ${MIN_CASE_EVENTS}–${MAX_CASE_EVENTS} events on ${CASE_AGENCIES.length} agency streams) as GET /v1/audit/cases/{id} builds it: archive.caseEvents (the audit archive's indexed case query; the archive holds every event of the log, on the audit service's own durable SQLite store connection as in production) + caseHistory (causal order, graph) + JSON.stringify, after 50 untimed; store_read_streams_* = the event store's readStream of the same cases' streams`,
          },
        },
      );
      console.log(
        `growth @${label}: ${events} events, append p50 ${round(append.p50, 3)} p99 ${round(append.p99, 3)} ms, case history p50 ${round(history.p50, 3)} p99 ${round(history.p99, 3)} ms, store read p99 ${round(storeRead.p99, 3)} ms`,
      );
    }

    const first = points[0];
    const last = points.at(-1);
    if (first && last && last !== first) {
      const ratioName = `ratio-${last.label}-to-${first.label}`;
      results.push(
        {
          name: `growth.append.p99.${ratioName}`,
          value: round(last.append.p99 / first.append.p99, 2),
          unit: 'x',
          target: { value: 1.5, better: 'lower' },
          detail: { p99_first_ms: round(first.append.p99, 3), p99_last_ms: round(last.append.p99, 3), p50_ratio: round(last.append.p50 / first.append.p50, 2), events_first: first.events, events_last: last.events, fill_total_s: round(fillSeconds, 1) },
        },
        {
          name: `growth.case-history.p99.${ratioName}`,
          value: round(last.caseHistory.p99 / first.caseHistory.p99, 2),
          unit: 'x',
          target: { value: 1.5, better: 'lower' },
          detail: { p99_first_ms: round(first.caseHistory.p99, 3), p99_last_ms: round(last.caseHistory.p99, 3), p50_ratio: round(last.caseHistory.p50 / first.caseHistory.p50, 2), events_first: first.events, events_last: last.events },
        },
      );
    }

    const chartPath = options.chartPath === undefined ? GROWTH_CHART_PATH : options.chartPath;
    if (chartPath) {
      mkdirSync(dirname(chartPath), { recursive: true });
      const machine = `${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
      const note = `${options.quick ? 'quick run; ' : ''}append: one durable 1-event append; case history: audit archive case query + causal order + JSON; ${rounds} interleaved rounds × ${samples} samples per point, median round`;
      writeFileSync(chartPath, renderGrowthChart(points, { date: new Date().toISOString().slice(0, 10), machine, note }));
    }
    return results;
  } finally {
    for (const harness of harnesses) await harness.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
