// `npm run bench`: runs every benchmark and writes bench/results.json, bench/RESULTS.md (and a
// table on stdout). `--quick` for a short run; `--only=<name>[,<name>]` runs some of them (names
// below). Targets are compared here, never asserted in unit tests.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { benchEventStore } from './event-store.bench.ts';
import { benchKafka } from './kafka.bench.ts';
import { benchAudit } from './audit.bench.ts';
import { benchVerify } from './verify.bench.ts';
import { benchMerkle } from './merkle.bench.ts';
import { benchReferrals } from './referral.bench.ts';
import { benchCompare } from './compare/compare.bench.ts';
import { benchHttpIngestion } from './http-ingestion.bench.ts';
import { benchMemory } from './memory.bench.ts';
import { benchGrowth } from './growth.bench.ts';
import { meets } from './measure.ts';
import type { BenchResult } from './measure.ts';
import { renderResultsMarkdown } from './results-markdown.ts';

const quick = process.argv.includes('--quick');
const root = join(import.meta.dirname, '..', '..');
const results: (BenchResult & { bench: string })[] = [];

console.log(`NRM Backbone benchmarks (${quick ? 'quick' : 'full'} run) on ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`);
const BENCHMARKS: Record<string, (options: { quick: boolean }) => Promise<BenchResult[]>> = {
  compare: benchCompare,
  'event-store': benchEventStore,
  'http-ingestion': benchHttpIngestion,
  memory: benchMemory,
  referrals: benchReferrals,
  kafka: benchKafka,
  merkle: benchMerkle,
  audit: benchAudit,
  verify: benchVerify,
  growth: benchGrowth,
};
const only = process.argv.find((argument) => argument.startsWith('--only='))?.slice('--only='.length).split(',');
const unknown = (only ?? []).filter((name) => !(name in BENCHMARKS));
if (unknown.length > 0) throw new Error(`unknown benchmark ${unknown.join(', ')}; known: ${Object.keys(BENCHMARKS).join(', ')}`);
for (const [name, bench] of Object.entries(BENCHMARKS)) {
  if (only && !only.includes(name)) continue;
  const started = performance.now();
  console.log(`${name}…`);
  results.push(...(await bench({ quick })).map((result) => ({ bench: name, ...result })));
  console.log(`${name}: ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

// A partial run (--only) replaces its benchmarks' figures in the last report and keeps the others.
const previous = only && existsSync(join(root, 'bench', 'results.json')) ? (JSON.parse(readFileSync(join(root, 'bench', 'results.json'), 'utf8')) as { results: (BenchResult & { bench?: string })[] }).results : [];
const order = (bench: string | undefined) => Object.keys(BENCHMARKS).indexOf(bench ?? '');
const kept = previous.filter((result) => result.bench !== undefined && !only!.includes(result.bench));
const report = {
  date: new Date().toISOString(),
  quick,
  machine: { cores: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), cpu: cpus()[0]?.model ?? 'unknown', node: process.version, platform: process.platform },
  // In the benchmarks' order, whichever run a figure came from (Array.prototype.sort is stable).
  results: [...kept, ...results].sort((a, b) => order(a.bench) - order(b.bench)).map((result) => ({ ...result, met: meets(result) })),
};
mkdirSync(join(root, 'bench'), { recursive: true });
writeFileSync(join(root, 'bench', 'results.json'), `${JSON.stringify(report, null, 2)}\n`);
writeFileSync(join(root, 'bench', 'RESULTS.md'), renderResultsMarkdown(report));

for (const result of report.results) {
  const target = result.target ? `${result.target.better === 'higher' ? '≥' : '≤'} ${result.target.value}` : '';
  const verdict = result.met === null ? '' : result.met ? 'met' : 'MISSED';
  console.log(`${result.name.padEnd(36)} ${String(result.value).padStart(10)} ${result.unit.padEnd(10)} ${target.padEnd(12)} ${verdict}`);
}
console.log(`wrote ${join('bench', 'results.json')} and ${join('bench', 'RESULTS.md')}`);
