// Smoke run of the peer adapters: installs the peers (once per lockfile), then runs every shared
// workload with QUICK_SIZES, one run each, on Emmett's SQLite and PostgreSQL stores and on NRM
// Backbone's, and prints a table. A workload a store cannot complete is reported with the reason
// (the run goes on); the exit code is non-zero only when one of our own stores fails or the run
// itself breaks.
//
//   node test/bench/compare/emmett-stores.smoke.ts
import { installPeers } from '../peers/install-peers.ts';
import type { BenchStoreFactory } from './bench-store.ts';
import { emmettPostgres, emmettSqlite, emmettSqliteSettings, emmettSqliteStats } from './emmett-stores.ts';
import { nrmPostgres, nrmSqlite } from './nrm-stores.ts';
import { QUICK_SIZES, WORKLOADS, runWorkload } from './shared-workloads.ts';
import type { WorkloadFigure, WorkloadName } from './shared-workloads.ts';

/** Far beyond any quick workload; a store that takes longer is reported as stuck. */
const WORKLOAD_TIME_LIMIT_MS = 5 * 60_000;

type Row = { factory: BenchStoreFactory; workload: WorkloadName; figure?: WorkloadFigure; failure?: string; seconds: number; busyRetries?: number };

const started = performance.now();
const install = await installPeers();
console.log(install.ok ? 'peers: installed' : `peers: NOT installed: ${install.reason}`);

const factories: BenchStoreFactory[] = [nrmSqlite, emmettSqlite, nrmPostgres, emmettPostgres];
const measurable = (factory: BenchStoreFactory): string | undefined => (factory.subject === 'emmett' && !install.ok ? `peers not installed: ${install.reason}` : undefined);

if (install.ok) {
  try {
    const settings = await emmettSqliteSettings();
    console.log(`Emmett SQLite as shipped: journal_mode=${settings.journalMode}, synchronous=${settings.synchronous} (0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA)`);
  } catch (error) {
    console.log(`Emmett SQLite settings: could not read them: ${error instanceof Error ? error.message : String(error)}`);
  }
}
for (const factory of factories) console.log(`${factory.subject}/${factory.engine}: ${factory.version}`);

function withinLimit<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no result within ${ms / 1000} s (the run may still be going in the background)`)), ms);
  });
  return Promise.race([work, limit]).finally(() => clearTimeout(timer));
}

const rows: Row[] = [];
for (const workload of WORKLOADS) {
  for (const factory of factories) {
    const skip = measurable(factory);
    const began = performance.now();
    if (skip) {
      rows.push({ factory, workload, failure: skip, seconds: 0 });
      continue;
    }
    const retriesBefore = emmettSqliteStats.busyRetries;
    try {
      const figure = await withinLimit(runWorkload(factory, workload, QUICK_SIZES, 1), WORKLOAD_TIME_LIMIT_MS);
      rows.push({ factory, workload, figure, seconds: (performance.now() - began) / 1000 });
    } catch (error) {
      rows.push({ factory, workload, failure: error instanceof Error ? error.message : String(error), seconds: (performance.now() - began) / 1000 });
    }
    const row = rows.at(-1)!;
    if (factory === emmettSqlite) row.busyRetries = emmettSqliteStats.busyRetries - retriesBefore;
    const retries = row.busyRetries ? `, ${row.busyRetries} SQLITE_BUSY retries` : '';
    console.log(`  ${workload} ${factory.subject}/${factory.engine}: ${row.figure ? `${row.figure.median} ${row.figure.unit}` : `FAILED: ${row.failure}`} (${row.seconds.toFixed(1)} s${retries})`);
  }
}

const table = [
  ['workload', 'subject', 'engine', 'rate', 'unit', 'p50 ms', 'p99 ms', 'conflicts', 'busy retries'],
  ...rows.map(({ factory, workload, figure, busyRetries }) => {
    const run = figure?.runs[0];
    const retries = busyRetries === undefined ? '' : String(busyRetries);
    return figure
      ? [workload, factory.subject, factory.engine, String(figure.median), figure.unit, run?.p50Ms?.toString() ?? '', run?.p99Ms?.toString() ?? '', run?.conflicts?.toString() ?? '', retries]
      : [workload, factory.subject, factory.engine, 'not measured', '', '', '', '', retries];
  }),
];
const widths = table[0]!.map((_, column) => Math.max(...table.map((line) => line[column]!.length)));
console.log();
for (const [index, line] of table.entries()) {
  console.log(line.map((cell, column) => (column >= 3 && column !== 4 ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!))).join('  '));
  if (index === 0) console.log(widths.map((width) => '-'.repeat(width)).join('  '));
}
const failures = rows.filter((row) => row.failure);
if (failures.length > 0) {
  console.log('\nNot measured:');
  for (const { factory, workload, failure } of failures) console.log(`  ${workload} ${factory.subject}/${factory.engine}: ${failure}`);
}
console.log(`\nsmoke run: ${((performance.now() - started) / 1000).toFixed(0)} s`);

const ownFailed = failures.some((row) => row.factory.subject === 'nrm');
// Pools, timers or a stuck peer run may keep the event loop alive: the run is over.
process.exit(ownFailed ? 1 : 0);
