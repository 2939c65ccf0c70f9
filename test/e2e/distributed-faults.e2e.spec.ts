// Faults in distributed mode, each while `simulate` drives cases through the five agency
// processes over Kafka: a service killed with SIGKILL and restarted, and the broker itself
// stopped and restarted. The moments are fixed by case count (the same run every time). After
// each: every chain complete, no accepted event lost, no reaction duplicated. (The same message
// delivered twice is in distributed-kafka.e2e.spec.ts.)
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { kafkaTestBrokers } from '@nrm/bus/testing';
import { createBackboneClient, simulate } from '@nrm/cli';
import { expectIntactChains } from './chain-assertions.ts';
import { startDistributedBackbone } from './distributed-backbone.ts';
import type { DistributedBackbone } from './distributed-backbone.ts';
import { freePort } from '@nrm/bus/testing';

const run = promisify(execFile);
const KAFKA_SH = join(import.meta.dirname, '..', '..', 'infra', 'kafka', 'kafka.sh');
const found = await kafkaTestBrokers();
const skip = found.skipReason ? ` (skipped: ${found.skipReason})` : '';
// Each test's processes and broker are stopped before the next test starts (2 cores), pass or fail.
const cleanups: (() => Promise<unknown>)[] = [];
async function cleanUp(): Promise<void> {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
}
afterEach(cleanUp, 120_000);

/** Runs `action` once, when the `at`-th case of the simulation is done. */
function atCase(at: number, action: () => Promise<void>): { onCaseDone(done: number): void; done(): Promise<void> } {
  let fired: Promise<void> | null = null;
  return {
    onCaseDone: (done) => {
      if (done >= at && !fired) fired = action();
    },
    done: async () => {
      expect(fired, `the fault was injected at case ${at}`).not.toBeNull();
      await fired;
    },
  };
}

describe.skipIf(!found.brokers)(`distributed faults${skip}`, () => {
  it('a service killed with SIGKILL in the middle of 200 cases, then restarted, loses and duplicates nothing', async () => {
    const backbone: DistributedBackbone = await startDistributedBackbone({ label: 'kill', brokers: found.brokers!, postgres: ['audit'] });
    cleanups.push(() => backbone.stop());
    const client = await createBackboneClient({ baseUrl: backbone.urls, dataDir: backbone.dataDir, retryForMs: 60_000 });
    const fault = atCase(60, async () => {
      await backbone.kill('identification');
      await new Promise((resolve) => setTimeout(resolve, 1000));
      await backbone.start('identification');
    });

    await backbone.bounded('200 cases with a SIGKILL', 420_000, async () => {
      const result = await simulate(client, { cases: 200, concurrency: 8, seed: 21, onCaseDone: fault.onCaseDone });
      await fault.done();
      await expectIntactChains(client, result);
    });
  }, 600_000);

  it('the broker stopped and restarted under load loses and duplicates nothing', async () => {
    // Its own broker, so stopping it disturbs no other suite.
    const port = await freePort();
    // A restart under load on two cores may take a while to answer: bounded, but not tightly.
    const env = { ...process.env, NRM_KAFKA_PORT: String(port), NRM_KAFKA_CONTROLLER_PORT: String(await freePort()), NRM_KAFKA_DATA: mkdtempSync(join(tmpdir(), 'nrm-kafka-restart-')), NRM_KAFKA_START_TIMEOUT: '150' };
    const kafka = (command: 'start' | 'stop') => run('bash', [KAFKA_SH, command], { env, timeout: 180_000 });
    await kafka('start');
    cleanups.push(async () => {
      await kafka('stop');
      rmSync(env.NRM_KAFKA_DATA, { recursive: true, force: true });
    });
    const backbone = await startDistributedBackbone({ label: 'broker', brokers: [`127.0.0.1:${port}`], postgres: ['audit'] });
    cleanups.push(() => backbone.stop());
    const client = await createBackboneClient({ baseUrl: backbone.urls, dataDir: backbone.dataDir, retryForMs: 120_000 });
    const fault = atCase(25, async () => {
      await kafka('stop');
      // Down long enough for producers and consumers to fail and back off, not just blink.
      await new Promise((resolve) => setTimeout(resolve, 5000));
      await kafka('start');
    });

    await backbone.bounded('100 cases with a broker restart', 420_000, async () => {
      const result = await simulate(client, { cases: 100, concurrency: 8, seed: 22, onCaseDone: fault.onCaseDone });
      await fault.done();
      await expectIntactChains(client, result);
    });
  }, 600_000);
});
