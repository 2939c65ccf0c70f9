// Kill the backbone (SIGKILL) at seeded random moments while `simulate` drives cases through
// it, restart it each time, and check afterwards: no accepted event lost, no reaction
// duplicated, every chain complete (each case's events counted equal their distinct count).
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createBackboneClient, simulate } from '@nrm/cli';
import { startNrm } from './nrm-process.ts';
import type { NrmProcess } from './nrm-process.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'nrm-crash-'));
let server: NrmProcess | null = null;

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as { port: number }).port;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

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
    expect(result.failures).toEqual([]);
    expect(result.completed).toBe(result.cases);
    for (const chain of result.chains) expect(chain.distinct, chain.caseId).toBe(chain.events);
    const logged = new Set(result.chains.flatMap((chain) => chain.eventIds));
    const lost = result.acceptedEventIds.filter((id) => !logged.has(id));
    expect(lost).toEqual([]);
    // Each referral was filed once by its receiver: as many ReferralReceived as ReferralIssued.
    for (const chain of result.chains) {
      const log = await client.get<{ events: { type: string }[] }>('audit', `/cases/${chain.caseId}/events`);
      const count = (suffix: string) => log.events.filter((event) => event.type.endsWith(suffix)).length;
      expect(count('.ReferralReceived'), chain.caseId).toBe(count('.ReferralIssued'));
    }
  }, 240_000);
});
