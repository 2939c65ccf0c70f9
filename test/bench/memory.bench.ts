// Peak resident memory of `nrm start` (a child process, embedded: all seven services, SQLite):
// idle, some seconds after it started, and under load, while 64 clients ingest tips over HTTP
// (the http ingestion benchmark's load) and `simulate` drives whole cases through the referral
// chain at the same time. The figure is the kernel's high-water mark (VmHWM of
// /proc/<pid>/status), cross-checked against VmRSS sampled every 100 ms.
import { createBackboneClient, simulate } from '@nrm/cli';
import { round } from './measure.ts';
import type { BenchResult } from './measure.ts';
import { INGESTION_CLIENTS, runIngestionLoad } from './http-ingestion.bench.ts';
import { mintAgencyTokens, residentMemory, sampleMemory, startBenchBackbone } from './nrm-process.ts';

export async function benchMemory(options: { quick: boolean }): Promise<BenchResult[]> {
  const idleMs = options.quick ? 3_000 : 10_000;
  const loadMs = options.quick ? 5_000 : 30_000;
  const backbone = await startBenchBackbone({ name: 'memory', env: { NRM_RATE_LIMIT_PER_MINUTE: '0' } });
  try {
    const idleSampler = sampleMemory(backbone.pid);
    await new Promise((resolve) => setTimeout(resolve, idleMs));
    const idleSampled = idleSampler.stop();
    const idle = residentMemory(backbone.pid);

    const tokens = await mintAgencyTokens(backbone.dataDir, 'intake', INGESTION_CLIENTS);
    const client = await createBackboneClient({ baseUrl: backbone.url, dataDir: backbone.dataDir });
    const loadSampler = sampleMemory(backbone.pid);
    const deadline = Date.now() + loadMs;
    // Whole cases through the referral chain (8 at a time) for as long as the ingestion runs.
    const simulated = { rounds: 0, cases: 0, completed: 0, failures: 0, firstFailure: '' };
    const simulating = (async () => {
      do {
        const run = await simulate(client, { cases: 8, concurrency: 8, seed: 11 + simulated.rounds });
        simulated.rounds++;
        simulated.cases += run.cases;
        simulated.completed += run.completed;
        simulated.failures += run.failures.length;
        simulated.firstFailure ||= run.failures[0]?.error ?? '';
      } while (Date.now() < deadline);
    })().catch((error: unknown) => {
      simulated.failures++;
      simulated.firstFailure ||= (error as Error).message;
    });
    const ingestion = await runIngestionLoad({ url: backbone.url, tokens, clients: INGESTION_CLIENTS, factsPerRequest: 1, durationMs: loadMs });
    await simulating;
    const loadSampled = loadSampler.stop();
    const loaded = residentMemory(backbone.pid);
    if (ingestion.errorCount > 0) throw new Error(`memory benchmark: ${ingestion.errorCount} of ${ingestion.requests} ingestion requests not answered 200 with the fact accepted: ${JSON.stringify(ingestion.errors)}`);
    if (simulated.failures > 0 || simulated.completed !== simulated.cases) {
      throw new Error(`memory benchmark: simulate completed ${simulated.completed} of ${simulated.cases} cases under load (${simulated.failures} failed: ${simulated.firstFailure})`);
    }
    const exitCode = await backbone.stop();
    if (exitCode !== 0) throw new Error(`nrm start exited with ${exitCode} after the memory benchmark`);

    const server = 'nrm start (child process, embedded: 7 services, SQLite, embedded bus), NRM_RATE_LIMIT_PER_MINUTE=0';
    return [
      {
        name: 'nrm-start.memory.idle',
        value: round(idle.peakMiB, 1),
        unit: 'MiB',
        detail: { idle_s: idleMs / 1000, rss_now_mib: round(idle.rssMiB, 1), sampled_max_rss_mib: round(idleSampled.maxRssMiB, 1), samples: idleSampled.samples, measured: `VmHWM (peak RSS since start) ${idleMs / 1000} s after it listened; ${server}` },
      },
      {
        name: 'nrm-start.memory.under-load',
        value: round(loaded.peakMiB, 1),
        unit: 'MiB',
        detail: {
          load_s: round(ingestion.ms / 1000, 1),
          rss_after_mib: round(loaded.rssMiB, 1),
          sampled_max_rss_mib: round(loadSampled.maxRssMiB, 1),
          samples: loadSampled.samples,
          ingested_facts: ingestion.accepted,
          ingested_per_s: Math.round(ingestion.accepted / (ingestion.ms / 1000)),
          simulated_cases: simulated.completed,
          measured: `VmHWM (peak RSS since start) after ${INGESTION_CLIENTS} clients posted one tip per request for ${loadMs / 1000} s while simulate ran cases (8 at a time) through the referral chain; ${server}`,
        },
      },
    ];
  } finally {
    await backbone.stop();
    backbone.remove();
  }
}
