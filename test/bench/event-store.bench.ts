// The event store workloads: single durable appends, group-committed concurrent appends,
// reading the whole log, and verifying its hash chains, on the embedded SQLite store.
import { mkdtempSync, rmSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqliteEventStore } from '@nrm/eventstore';
import { testEvent } from '@nrm/eventstore/testing';
import type { NewEvent } from '@nrm/contracts';
import { newId } from '@nrm/contracts';
import { percentile, round, timed } from './measure.ts';
import type { BenchResult } from './measure.ts';

/** A realistic event: a referral-sized payload with one sealed personal field. */
function realisticEvent(caseId: string): NewEvent {
  return testEvent({
    type: 'intake.ReferralIssued',
    caseId,
    data: {
      referralId: newId(),
      to: 'identification',
      kind: 'verification',
      priority: 'normal',
      involvesChild: false,
      summary: 'Tip from hotline 111: two women reported held at a karaoke venue near the border gate.',
      acceptBy: '2026-11-24T08:00:00.000Z',
      victimName: { sealed: 'nrm.v1', subject: caseId, kid: 'k1', alg: 'A256GCM', iv: 'AAAAAAAAAAAAAAAA', ct: 'x'.repeat(48), tag: 'B'.repeat(22) },
    },
  });
}

/**
 * The disk's ceiling in the same run: raw node:sqlite inserts of rows of the same size into a
 * table with the same indexes (WAL, synchronous=FULL), one transaction per insert and per 64.
 */
function rawCeiling(dir: string, count: number): { single: number; batched: number } {
  const database = new DatabaseSync(join(dir, 'raw.db'));
  database.exec('PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; CREATE TABLE raw (position INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, stream TEXT NOT NULL, revision INTEGER NOT NULL, body TEXT NOT NULL, UNIQUE (stream, revision))');
  const insert = database.prepare('INSERT INTO raw (position, id, stream, revision, body) VALUES (?, ?, ?, ?, ?)');
  const body = JSON.stringify(realisticEvent(newId()));
  let position = 0;
  const revisions = new Map<string, number>();
  const row = (stream: string) => {
    const revision = (revisions.get(stream) ?? -1) + 1;
    revisions.set(stream, revision);
    insert.run(position++, newId(), stream, revision, body);
  };
  let start = performance.now();
  for (let i = 0; i < count; i++) row(`single-${i % 500}`);
  const single = count / ((performance.now() - start) / 1000);
  start = performance.now();
  for (let batch = 0; batch < count / 64; batch++) {
    database.exec('BEGIN');
    for (let writer = 0; writer < 64; writer++) row(`writer-${writer}`);
    database.exec('COMMIT');
  }
  const batched = (Math.floor(count / 64) * 64) / ((performance.now() - start) / 1000);
  database.close();
  return { single, batched };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export async function benchEventStore(options: { quick: boolean }): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'nrm-bench-'));
  const results: BenchResult[] = [];
  try {
    const ceiling = rawCeiling(dir, options.quick ? 1000 : 5000);
    results.push({ name: 'sqlite.raw-ceiling.single.durable', value: round(ceiling.single, 0), unit: 'inserts/s', detail: { note: 'node:sqlite, same row size and indexes, one fsync per insert' } });
    results.push({ name: 'sqlite.raw-ceiling.64-per-commit.durable', value: round(ceiling.batched, 0), unit: 'inserts/s', detail: { note: 'node:sqlite, 64 rows on 64 streams per fsync' } });
    const store = createSqliteEventStore({ path: join(dir, 'events.db') });

    // Warm-up, untimed: the first thousand appends run before the JIT has compiled the append
    // path and measure start-up, not the store (they ran ~40% slower in the first full runs).
    for (let i = 0; i < 1000; i++) await store.append(`warm-up-${i % 100}`, [realisticEvent(newId())]);

    // 1. Single durable appends, one after another: each is its own transaction and fsync.
    const singles = options.quick ? 1000 : 5000;
    const latencies: number[] = [];
    const single = await timed(async () => {
      for (let i = 0; i < singles; i++) {
        const start = performance.now();
        await store.append(`case-single-${i % 500}`, [realisticEvent(newId())]);
        latencies.push(performance.now() - start);
      }
    });
    latencies.sort((a, b) => a - b);
    results.push({
      name: 'sqlite.append.single.durable',
      value: round(singles / (single.ms / 1000), 0),
      unit: 'appends/s',
      target: { value: 2000, better: 'higher' },
      detail: { events: singles, p50_ms: round(percentile(latencies, 50), 3), p99_ms: round(percentile(latencies, 99), 3) },
    });

    // 2. 64 concurrent writers, each on its own stream: group commit shares the fsyncs, and the
    // writer thread fsyncs one batch while the main thread prepares the next. Three passes, on
    // fresh streams each time; the median is the figure (a single pass swings ±20% on this VM).
    const writers = 64;
    const perWriter = options.quick ? 100 : 500;
    const groupedRates: number[] = [];
    for (let pass = 0; pass < 3; pass++) {
      const grouped = await timed(() =>
        Promise.all(
          Array.from({ length: writers }, async (_, writer) => {
            const caseId = newId();
            for (let i = 0; i < perWriter; i++) await store.append(`case-writer-${pass}-${writer}`, [realisticEvent(caseId)]);
          }),
        ),
      );
      groupedRates.push(Math.round((writers * perWriter) / (grouped.ms / 1000)));
    }
    results.push({
      name: 'sqlite.append.64-writers.durable',
      value: median(groupedRates),
      unit: 'events/s',
      target: { value: 20_000, better: 'higher' },
      detail: { writers, events: writers * perWriter, passes: groupedRates.join(' '), figure: 'median of 3 passes' },
    });

    // Fill the log to a size where reading and verifying are measured in steady state.
    const fillTo = options.quick ? 50_000 : 300_000;
    let head = await store.headPosition();
    while (head + 1 < fillTo) {
      const batch = Array.from({ length: 64 }, (_, i) => store.append(`case-fill-${(head + i) % 20_000}`, Array.from({ length: 16 }, () => realisticEvent(newId()))));
      await Promise.all(batch);
      head = await store.headPosition();
    }
    const total = head + 1;

    // 3. readAll and 4. verifyAll, each three full passes over the log: the median is the figure
    // (steady state, as a long catch-up or a nightly verification runs), every pass is in the detail.
    const passes = 3;

    // 3. readAll: the whole log, event by event, as a catch-up subscriber or a rebuild reads it.
    const readRates: number[] = [];
    for (let pass = 0; pass < passes; pass++) {
      let counted = 0;
      const read = await timed(async () => {
        for await (const event of store.readAll()) if (event.position >= 0) counted++;
      });
      if (counted !== total) throw new Error(`readAll returned ${counted} of ${total} events`);
      readRates.push(Math.round(counted / (read.ms / 1000)));
    }
    results.push({ name: 'sqlite.readAll', value: median(readRates), unit: 'events/s', target: { value: 300_000, better: 'higher' }, detail: { events: total, passes: readRates.join(' '), figure: `median of ${passes} passes` } });

    // 4. verifyAll: re-hash every stored event and check every link.
    const verifyRates: number[] = [];
    for (let pass = 0; pass < passes; pass++) {
      const verified = await timed(() => store.verifyAll());
      if (!verified.value.ok) throw new Error('the benchmark store failed verification');
      verifyRates.push(Math.round(total / (verified.ms / 1000)));
    }
    results.push({ name: 'sqlite.verifyAll', value: median(verifyRates), unit: 'events/s', target: { value: 250_000, better: 'higher' }, detail: { events: total, passes: verifyRates.join(' '), figure: `median of ${passes} passes` } });

    await store.close();
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
