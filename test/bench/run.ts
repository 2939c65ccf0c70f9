// `npm run bench`: runs every benchmark and writes bench/results.json (and a table on stdout).
// `--quick` for a short run. Targets are compared here, never asserted in unit tests.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { benchEventStore } from './event-store.bench.ts';
import { benchKafka } from './kafka.bench.ts';
import { benchAudit } from './audit.bench.ts';
import { benchVerify } from './verify.bench.ts';
import { benchMerkle } from './merkle.bench.ts';
import { benchReferrals } from './referral.bench.ts';
import { meets } from './measure.ts';
import type { BenchResult } from './measure.ts';

const quick = process.argv.includes('--quick');
const root = join(import.meta.dirname, '..', '..');
const results: BenchResult[] = [];

console.log(`NRM Backbone benchmarks (${quick ? 'quick' : 'full'} run) on ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`);
results.push(...(await benchEventStore({ quick })));
results.push(...(await benchReferrals({ quick })));
results.push(...(await benchKafka({ quick })));
results.push(...(await benchMerkle({ quick })));
results.push(...(await benchAudit({ quick })));
results.push(...(await benchVerify({ quick })));

const report = {
  date: new Date().toISOString(),
  quick,
  machine: { cores: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), cpu: cpus()[0]?.model ?? 'unknown', node: process.version, platform: process.platform },
  results: results.map((result) => ({ ...result, met: meets(result) })),
};
mkdirSync(join(root, 'bench'), { recursive: true });
writeFileSync(join(root, 'bench', 'results.json'), `${JSON.stringify(report, null, 2)}\n`);

for (const result of report.results) {
  const target = result.target ? `${result.target.better === 'higher' ? '≥' : '≤'} ${result.target.value}` : '';
  const verdict = result.met === null ? '' : result.met ? 'met' : 'MISSED';
  console.log(`${result.name.padEnd(36)} ${String(result.value).padStart(10)} ${result.unit.padEnd(10)} ${target.padEnd(12)} ${verdict}`);
}
console.log(`wrote ${join('bench', 'results.json')}`);
