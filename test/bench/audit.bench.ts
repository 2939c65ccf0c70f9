// The audit archive at national scale: case history for a 30-event case in a 1,000,000-event
// archive (quick: 100,000), read as the route reads it — one indexed query for the case, then the
// causal order and graph in memory, then the JSON the route sends — p50/p99 over random cases.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GENESIS_HASH, hashEvent, newId } from '@nrm/contracts';
import type { HashedEvent, RecordedEvent } from '@nrm/contracts';
import { caseHistory, createSqliteArchiveStore } from '@nrm/audit';
import { percentile, round } from './measure.ts';
import type { BenchResult } from './measure.ts';

const EVENTS_PER_CASE = 30;
const AGENCIES = ['intake', 'identification', 'rescue', 'protection', 'reintegration'] as const;

/** One case's 30 events across the five agencies, each caused by the one before, hashed as stores record them. */
function caseEvents(caseId: string, start: number): RecordedEvent[] {
  const events: RecordedEvent[] = [];
  const heads = new Map<string, { revision: number; hash: string }>();
  let cause: string | null = null;
  for (let i = 0; i < EVENTS_PER_CASE; i++) {
    const agency = AGENCIES[Math.floor((i * AGENCIES.length) / EVENTS_PER_CASE)]!;
    const stream = `${agency}-case-${caseId}`;
    const head = heads.get(stream);
    const at = new Date(Date.UTC(2026, 9, 1) + (start + i) * 1000).toISOString();
    const hashed: HashedEvent = {
      id: newId(),
      type: `${agency}.ReferralIssued`,
      schemaVersion: 1,
      occurredAt: at,
      agency,
      actor: `${agency}-officer`,
      caseId,
      causationId: cause,
      traceparent: null,
      data: { referralId: newId(), to: 'protection', kind: 'protection', priority: 'normal', involvesChild: false, summary: 'Returned from abroad; needs shelter and care', acceptBy: at },
      stream,
      revision: head ? head.revision + 1 : 0,
      recordedAt: at,
      prevHash: head?.hash ?? GENESIS_HASH,
    };
    const hash = hashEvent(hashed);
    heads.set(stream, { revision: hashed.revision, hash });
    events.push({ ...hashed, position: start + i, hash });
    cause = hashed.id;
  }
  return events;
}

export async function benchAudit(options: { quick: boolean }): Promise<BenchResult[]> {
  const total = options.quick ? 100_000 : 1_000_000;
  const dir = mkdtempSync(join(tmpdir(), 'nrm-bench-audit-'));
  const archive = createSqliteArchiveStore({ path: join(dir, 'archive.db') });
  try {
    const caseIds: string[] = [];
    const loadStart = performance.now();
    let batch: RecordedEvent[] = [];
    for (let position = 0; position < total; position += EVENTS_PER_CASE) {
      const caseId = newId();
      caseIds.push(caseId);
      batch.push(...caseEvents(caseId, position));
      if (batch.length >= 6000) {
        await archive.record(batch);
        batch = [];
      }
    }
    if (batch.length > 0) await archive.record(batch);
    const loadSeconds = (performance.now() - loadStart) / 1000;

    // Random cases, a seeded walk so runs compare.
    let seed = 17;
    const nextCase = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return caseIds[seed % caseIds.length]!;
    };
    for (let i = 0; i < 50; i++) caseHistory(await archive.caseEvents(nextCase()));
    const latencies: number[] = [];
    for (let i = 0; i < 1000; i++) {
      const start = performance.now();
      const history = caseHistory(await archive.caseEvents(nextCase()));
      if (JSON.stringify(history).length === 0 || history.events.length !== EVENTS_PER_CASE) throw new Error('case history lost events');
      latencies.push(performance.now() - start);
    }
    latencies.sort((a, b) => a - b);
    return [
      {
        name: 'audit.case-history.p99',
        value: round(percentile(latencies, 99), 3),
        unit: 'ms',
        target: { value: 10, better: 'lower' },
        detail: { archive_events: total, events_per_case: EVENTS_PER_CASE, p50_ms: round(percentile(latencies, 50), 3), max_ms: round(latencies.at(-1)!, 3), load_events_per_s: Math.round(total / loadSeconds) },
      },
    ];
  } finally {
    await archive.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
