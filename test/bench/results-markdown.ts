// bench/RESULTS.md from the same report as bench/results.json: the machine and date, our figures
// next to Emmett's and the bare drivers' ceilings workload by workload, then every figure with its
// spread over the runs and the target beside it.
import type { BenchResult } from './measure.ts';

export type BenchReport = {
  date: string;
  quick: boolean;
  machine: { cores: number; memoryGiB: number; cpu: string; node: string; platform: string };
  results: (BenchResult & { met: boolean | null })[];
};

const ENGINES = [
  { engine: 'sqlite', title: 'SQLite (durable: WAL, synchronous=FULL)' },
  { engine: 'postgresql', title: 'PostgreSQL (local, synchronous_commit=on)' },
] as const;
const WORKLOADS = ['append.single', 'append.64-writers', 'append.50-on-one-stream', 'append.bulk', 'read.stream', 'read.all'];

function number(value: number): string {
  return Number.isInteger(value) ? value.toLocaleString('en-US') : String(value);
}

function targetOf(result: BenchResult): string {
  if (!result.target) return '';
  return `${result.target.better === 'higher' ? '≥' : '≤'} ${number(result.target.value)}`;
}

/** The spread of the runs: given as `spread`, or the passes themselves (a list, not a count). */
function spreadOf(result: BenchResult): string {
  if (result.detail?.spread !== undefined) return String(result.detail.spread);
  const passes = result.detail?.pass_s ?? result.detail?.passes;
  return typeof passes === 'string' ? passes : '';
}

function verdict(met: boolean | null): string {
  return met === null ? '' : met ? 'met' : '**missed**';
}

function sideBySide(report: BenchReport): string[] {
  const byName = new Map(report.results.map((result) => [result.name, result]));
  const lines: string[] = [];
  for (const { engine, title } of ENGINES) {
    if (!WORKLOADS.some((workload) => byName.has(`${engine}.${workload}`))) continue;
    lines.push(`### ${title}`, '', '| workload | NRM Backbone | Emmett | NRM ÷ Emmett (≥ 1.5) | bare driver ceiling | NRM ÷ ceiling (≥ 0.5) |', '| --- | ---: | ---: | ---: | ---: | ---: |');
    for (const workload of WORKLOADS) {
      const ours = byName.get(`${engine}.${workload}`);
      if (!ours) continue;
      const peer = byName.get(`${engine}.${workload}.emmett`);
      const vsPeer = byName.get(`${engine}.${workload}.vs-emmett`);
      const vsCeiling = byName.get(`${engine}.${workload}.vs-ceiling`);
      lines.push(
        `| ${workload} (${ours.unit}) | ${number(ours.value)} | ${peer ? number(peer.value) : 'not measured'} | ${vsPeer ? `${vsPeer.value}× ${verdict(vsPeer.met ?? null)}` : ''} | ${vsCeiling ? number(Number(vsCeiling.detail?.ceiling)) : ''} | ${vsCeiling ? `${vsCeiling.value}× ${verdict(vsCeiling.met ?? null)}` : ''} |`,
      );
    }
    lines.push('');
  }
  return lines;
}

export function renderResultsMarkdown(report: BenchReport): string {
  const { machine } = report;
  const missed = report.results.filter((result) => result.met === false);
  const lines = [
    '# Benchmark results',
    '',
    `Written by \`npm run bench\`${report.quick ? ' --quick (a short run: fewer events and one run per figure)' : ''} on ${report.date.slice(0, 16).replace('T', ' ')} UTC — do not edit by hand.`,
    '',
    `Machine: ${machine.cores} cores (${machine.cpu}), ${machine.memoryGiB} GiB, Node ${machine.node} on ${machine.platform}. Every figure of one run, peers included, was measured on this machine in this run.`,
    '',
    `${report.results.filter((result) => result.met !== null).length} figures have a target: ${report.results.filter((result) => result.met === true).length} met, ${missed.length} missed${missed.length > 0 ? ` (${missed.map((result) => result.name).join(', ')})` : ''}.`,
    '',
    '## Side by side',
    '',
    'The same workloads (test/bench/compare/shared-workloads.ts) on fresh stores, median over the runs; Emmett (`@event-driven-io/emmett-sqlite`, `@event-driven-io/emmett-postgresql`) and the bare drivers (`node:sqlite`, `pg`: inserts of rows of the same size, no event store) measured in the same run. NRM Backbone writes the full envelope and SHA-256 hash chain with every event; the peers write the payload only.',
    '',
    ...sideBySide(report),
    '## Every figure',
    '',
    '| figure | median | spread (min–max) | unit | target | |',
    '| --- | ---: | --- | --- | --- | --- |',
    ...report.results.map((result) => `| ${result.name} | ${number(result.value)} | ${spreadOf(result)} | ${result.unit} | ${targetOf(result)} | ${verdict(result.met)} |`),
    '',
    'Details of each figure (what exactly is timed, latencies, run by run) are in bench/results.json.',
    '',
  ];
  return lines.join('\n');
}
