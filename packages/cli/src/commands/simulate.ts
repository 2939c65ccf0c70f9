// `nrm simulate --cases N`: realistic volume through the public APIs of a running backbone,
// with a progress bar and a summary (cases, events, events/s), then a check of every chain.
import { CliError } from '../cli-error.ts';
import type { Command } from '../command.ts';
import { createBackboneClient } from '../backbone-client.ts';
import { resolveBackboneTarget } from '../backbone-target.ts';
import { simulate } from '../scenario/simulation.ts';

function positiveInt(name: string, text: string | undefined, fallback: number, max: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1 || value > max) throw new CliError(`--${name} ${text}: must be a whole number from 1 to ${max}`);
  return value;
}

function progressBar(done: number, total: number, failed: number): string {
  const width = 30;
  const filled = Math.round((done / total) * width);
  return `\r  [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} cases${failed ? `, ${failed} failed` : ''}`;
}

export const simulateCommand: Command = {
  name: 'simulate',
  summary: 'generate realistic cases through the public APIs and report throughput',
  usage: 'nrm simulate --cases 100 [--concurrency 8] [--seed 1] [--url …] [--data-dir ./data]',
  options: {
    cases: { type: 'string', description: 'how many cases (default 20, at most 100000)' },
    concurrency: { type: 'string', description: 'cases driven at once (default 8, at most 256)' },
    seed: { type: 'string', description: 'the same seed generates the same cases (default 1)' },
    url: { type: 'string', description: 'the running backbone (NRM_URL; default http://127.0.0.1:8080), or one URL per service: `standalone` or intake=http://…,identification=http://…' },
    'data-dir': { type: 'string', description: 'where the dev key the backbone trusts lives (NRM_DATA_DIR; default ./data)' },
    'retry-for': { type: 'string', description: 'seconds to keep retrying while the backbone is unreachable (default 30)' },
  },
  async run({ values }) {
    const cases = positiveInt('cases', values.cases as string | undefined, 20, 100_000);
    const concurrency = positiveInt('concurrency', values.concurrency as string | undefined, 8, 256);
    const seed = positiveInt('seed', values.seed as string | undefined, 1, 2 ** 31 - 1);
    const retryFor = positiveInt('retry-for', values['retry-for'] as string | undefined, 30, 3600);
    const target = resolveBackboneTarget(values.url as string | undefined);
    const client = await createBackboneClient({ baseUrl: target.baseUrl, dataDir: (values['data-dir'] as string | undefined) ?? process.env.NRM_DATA_DIR ?? './data', retryForMs: retryFor * 1000 });
    await target.checkReachable();
    const tty = process.stderr.isTTY;
    const result = await simulate(client, {
      cases,
      concurrency,
      seed,
      onCaseDone: (done, failed) => {
        if (tty) process.stderr.write(progressBar(done, cases, failed));
        else if (done % Math.max(1, Math.floor(cases / 10)) === 0 || done === cases) process.stderr.write(`  ${done}/${cases} cases${failed ? `, ${failed} failed` : ''}\n`);
      },
    });
    if (tty) process.stderr.write('\n');
    const seconds = result.ms / 1000;
    const duplicates = result.chains.filter((chain) => chain.events !== chain.distinct).length;
    const summary = {
      cases: result.cases,
      completedChains: result.completed,
      failedCases: result.failures.length,
      events: result.events,
      seconds: Number(seconds.toFixed(2)),
      casesPerSecond: Number((result.cases / seconds).toFixed(1)),
      eventsPerSecond: Math.round(result.events / seconds),
      duplicatedEvents: duplicates,
    };
    process.stdout.write(`\n${Object.entries(summary).map(([key, value]) => `  ${key.padEnd(18)} ${value}`).join('\n')}\n`);
    for (const failure of result.failures.slice(0, 5)) process.stderr.write(`  case ${failure.index} failed: ${failure.error}\n`);
    return result.failures.length === 0 && result.completed === result.cases && duplicates === 0 ? 0 : 1;
  },
};
