// NRM Backbone next to what a user would pick instead, in the same run on the same machine: every
// shared workload on our SQLite and PostgreSQL stores and on Emmett's, and the bare drivers'
// insert rate as the ceiling. Reported: our median (with the spread over the runs), the peer's,
// and the ratios the issue sets targets for (at least 1.5× Emmett; within 2× of the ceiling).
import { round } from '../measure.ts';
import type { BenchResult } from '../measure.ts';
import type { BenchStoreFactory } from './bench-store.ts';
import { nrmPostgres, nrmSqlite } from './nrm-stores.ts';
import { postgresCeiling, sqliteCeiling } from './raw-ceilings.ts';
import type { Ceiling } from './raw-ceilings.ts';
import { FULL_SIZES, QUICK_SIZES, WORKLOADS, runWorkload } from './shared-workloads.ts';
import type { WorkloadFigure, WorkloadName } from './shared-workloads.ts';

type Engine = 'sqlite' | 'postgresql';

/** The targets for our own figures, by engine and workload. */
const TARGETS: Partial<Record<`${Engine}.${WorkloadName}`, number>> = {
  'sqlite.append.single': 2_000,
  'sqlite.append.64-writers': 20_000,
  'sqlite.append.bulk': 50_000,
  'sqlite.read.all': 300_000,
  'postgresql.append.single': 1_000,
  'postgresql.append.bulk': 10_000,
};

const PEER_RATIO_TARGET = 1.5;
/** "Within 2× of the raw insert ceiling": our rate at least half of it. */
const CEILING_RATIO_TARGET = 0.5;

/** Emmett's factories, or why they are not measured (not installable here, say). */
async function peerFactories(): Promise<{ factories: BenchStoreFactory[]; missing: string | null }> {
  try {
    const { installPeers } = await import('../peers/install-peers.ts');
    const installed = await installPeers();
    if (!installed.ok) return { factories: [], missing: installed.reason };
    const { emmettPostgres, emmettSqlite } = await import('./emmett-stores.ts');
    return { factories: [emmettSqlite, emmettPostgres], missing: null };
  } catch (error) {
    return { factories: [], missing: (error as Error).message };
  }
}

function spread(figure: WorkloadFigure): string {
  return `${figure.min}–${figure.max}`;
}

function ourResult(ours: WorkloadFigure, peer: WorkloadFigure | undefined, version: string): BenchResult {
  const target = TARGETS[`${ours.engine}.${ours.workload}`];
  const p99s = ours.runs.flatMap((run) => (run.p99Ms === undefined ? [] : [run.p99Ms]));
  const conflicts = ours.runs.flatMap((run) => (run.conflicts === undefined ? [] : [run.conflicts]));
  return {
    name: `${ours.engine}.${ours.workload}`,
    value: ours.median,
    unit: ours.unit,
    ...(target ? { target: { value: target, better: 'higher' as const } } : {}),
    detail: {
      subject: version,
      runs: ours.runs.length,
      spread: spread(ours),
      ...(p99s.length > 0 ? { p99_ms: Math.max(...p99s) } : {}),
      ...(conflicts.length > 0 ? { conflicts: conflicts.join(' ') } : {}),
      ...(peer ? { emmett: peer.median, emmett_spread: spread(peer), vs_emmett: round(ours.median / peer.median, 2) } : {}),
    },
  };
}

export async function benchCompare(options: { quick: boolean; runs?: number }): Promise<BenchResult[]> {
  const sizes = options.quick ? QUICK_SIZES : FULL_SIZES;
  const runs = options.runs ?? (options.quick ? 1 : 3);
  const { factories: peers, missing } = await peerFactories();
  if (missing) console.log(`  Emmett is not measured: ${missing}`);
  const results: BenchResult[] = [];
  const ceilings: Record<Engine, Ceiling> = {
    sqlite: sqliteCeiling(options.quick ? 1_000 : 5_000),
    postgresql: await postgresCeiling(options.quick ? 1_000 : 5_000),
  };
  for (const ours of [nrmSqlite, nrmPostgres]) {
    const peer = peers.find((factory) => factory.engine === ours.engine);
    const ceiling = ceilings[ours.engine];
    results.push(
      { name: `${ours.engine}.raw-ceiling.single`, value: Math.round(ceiling.singlePerSecond), unit: 'inserts/s', detail: { note: 'the bare driver, one durable transaction per row of the same size' } },
      { name: `${ours.engine}.raw-ceiling.64-per-commit`, value: Math.round(ceiling.batched64PerSecond), unit: 'inserts/s', detail: { note: 'the bare driver, 64 rows per durable transaction' } },
    );
    for (const workload of WORKLOADS) {
      console.log(`  ${ours.engine} ${workload}…`);
      const ourFigure = await runWorkload(ours, workload, sizes, runs);
      const peerFigure = peer ? await runWorkload(peer, workload, sizes, runs).catch((error: unknown) => {
        console.log(`  Emmett ${ours.engine} ${workload} failed: ${(error as Error).message}`);
        return undefined;
      }) : undefined;
      results.push(ourResult(ourFigure, peerFigure, ours.version));
      if (workload === 'append.single' && ours.engine === 'sqlite') {
        const p99s = ourFigure.runs.map((run) => run.p99Ms!).sort((a, b) => a - b);
        results.push({ name: 'sqlite.append.single.p99', value: p99s[Math.floor(p99s.length / 2)]!, unit: 'ms', target: { value: 5, better: 'lower' }, detail: { runs: p99s.join(' '), figure: 'median of the runs’ p99' } });
      }
      if (peerFigure) {
        results.push({ name: `${ours.engine}.${workload}.emmett`, value: peerFigure.median, unit: peerFigure.unit, detail: { subject: peer!.version, runs: peerFigure.runs.length, spread: spread(peerFigure) } });
        results.push({ name: `${ours.engine}.${workload}.vs-emmett`, value: round(ourFigure.median / peerFigure.median, 2), unit: '×', target: { value: PEER_RATIO_TARGET, better: 'higher' } });
      }
      const ceilingRate = workload === 'append.single' ? ceiling.singlePerSecond : workload === 'append.64-writers' ? ceiling.batched64PerSecond : undefined;
      if (ceilingRate !== undefined) {
        results.push({ name: `${ours.engine}.${workload}.vs-ceiling`, value: round(ourFigure.median / ceilingRate, 2), unit: '×', target: { value: CEILING_RATIO_TARGET, better: 'higher' }, detail: { ceiling: Math.round(ceilingRate) } });
      }
    }
  }
  return results;
}
