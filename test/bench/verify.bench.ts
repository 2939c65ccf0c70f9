// `nrm verify` at national scale: every hash chain, every archived copy and the comparison of
// the two, on 1,000,000 events (quick: 100,000) in five agency stores and the audit archive
// (verify-dataset.ts). Verification is read-only, so the same data set serves every pass.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// Not part of @nrm/cli's exports: the bench measures the function `nrm verify` runs.
import { verifyBackbone } from '../../packages/cli/src/verify/verify-backbone.ts';
import { round } from './measure.ts';
import type { BenchResult } from './measure.ts';
import { buildVerifyDataset } from './verify-dataset.ts';

const PASSES = 3;
const SETTLE_MS = 1_500;

type Pass = { ms: number; scanMs: number; compareMs: number };

async function verifyOnce(stores: string[], archive: string, events: number): Promise<Pass> {
  const start = performance.now();
  let scanned: number | null = null;
  const result = await verifyBackbone({
    stores,
    archive,
    onProgress: ({ step }) => {
      if (scanned === null && step.endsWith('against the archive')) scanned = performance.now();
    },
  });
  const end = performance.now();
  const compared = result.stores.reduce((sum, store) => sum + store.events, 0);
  if (!result.ok || compared !== events || result.archive.events !== events) throw new Error(`verify found problems in a clean data set: ${JSON.stringify(result.discrepancies)}`);
  return { ms: end - start, scanMs: (scanned ?? end) - start, compareMs: end - (scanned ?? end) };
}

export async function benchVerify(options: { quick: boolean }): Promise<BenchResult[]> {
  const total = options.quick ? 100_000 : 1_000_000;
  const dir = mkdtempSync(join(tmpdir(), 'nrm-bench-verify-'));
  try {
    const buildStart = performance.now();
    const { stores, archive } = await buildVerifyDataset(dir, total);
    const buildMs = performance.now() - buildStart;
    const passes: Pass[] = [];
    for (let pass = 0; pass < PASSES; pass++) {
      // A pass's threads unmap the files after it has answered (verifyBackbone does not wait for
      // that); the next pass starts once they are done, as a run of `nrm verify` starts alone.
      if (pass > 0) await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
      passes.push(await verifyOnce(stores, archive, total));
    }
    const median = [...passes].sort((a, b) => a.ms - b.ms)[Math.floor(PASSES / 2)]!;
    return [
      {
        name: options.quick ? 'audit.verify.100k' : 'audit.verify.1M',
        value: round(median.ms / 1000, 2),
        unit: 's',
        // The target is for a million events; a quick run only shows the trend.
        ...(options.quick ? {} : { target: { value: 5, better: 'lower' as const } }),
        detail: {
          events: total,
          stores: stores.length,
          passes: PASSES,
          pass_s: passes.map((pass) => round(pass.ms / 1000, 2)).join(' '),
          scan_ms: Math.round(median.scanMs),
          compare_ms: Math.round(median.compareMs),
          events_per_s: Math.round(total / (median.ms / 1000)),
          build_s: round(buildMs / 1000, 1),
        },
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
