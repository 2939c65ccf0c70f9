// Reading the whole log and verifying its hash chains on the embedded SQLite store at a size
// where both run in steady state (300,000 events). The append workloads, on SQLite and
// PostgreSQL and next to Emmett and the bare drivers, are in compare/.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqliteEventStore } from '@nrm/eventstore';
import { testEvent } from '@nrm/eventstore/testing';
import type { NewEvent } from '@nrm/contracts';
import { newId } from '@nrm/contracts';
import { benchEvent } from './compare/shared-workloads.ts';
import { timed } from './measure.ts';
import type { BenchResult } from './measure.ts';

/** A realistic event: the shared workloads' referral-sized payload with one sealed personal field, in the backbone's envelope. */
function realisticEvent(caseId: string): NewEvent {
  return testEvent({ type: 'intake.ReferralIssued', caseId, data: benchEvent().data });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export async function benchEventStore(options: { quick: boolean }): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'nrm-bench-'));
  const results: BenchResult[] = [];
  try {
    const store = createSqliteEventStore({ path: join(dir, 'events.db') });

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
