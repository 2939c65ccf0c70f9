// Kill the backbone (SIGKILL) at seeded random moments while `simulate` drives cases through
// it, restart it each time, and check afterwards: no accepted event lost, no reaction
// duplicated, every chain complete (each case's events counted equal their distinct count).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createBackboneClient, simulate } from '@nrm/cli';
import { expectIntactChains } from './chain-assertions.ts';
import { freePort } from '@nrm/bus/testing';
import { startNrm } from './nrm-process.ts';
import type { NrmProcess } from './nrm-process.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'nrm-crash-'));
let server: NrmProcess | null = null;

afterAll(async () => {
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('crash recovery during simulate', () => {
  it('loses no accepted event and duplicates no reaction across SIGKILLs', async () => {
    const port = await freePort();
    const start = () => startNrm(['--port', String(port), '--data-dir', dataDir], { timeoutMs: 30_000 });
    server = await start();
    const client = await createBackboneClient({ baseUrl: server.url, dataDir, retryForMs: 60_000 });

    // A seeded schedule of kills: the same run every time.
    let seed = 7;
    const nextDelay = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return 400 + (seed % 1200);
    };
    let kills = 0;
    let running = true;
    const killer = (async () => {
      while (running && kills < 4) {
        await new Promise((resolve) => setTimeout(resolve, nextDelay()));
        if (!running) break;
        server!.child.kill('SIGKILL');
        await new Promise((resolve) => server!.child.once('exit', resolve));
        kills++;
        server = await start();
      }
    })();

    const result = await simulate(client, { cases: 24, concurrency: 6, seed: 11 });
    running = false;
    await killer;

    expect(kills, 'the backbone was killed during the run').toBeGreaterThan(0);
    await expectIntactChains(client, result);
  }, 240_000);
});
