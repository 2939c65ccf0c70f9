// The referral chain end to end, in one embedded process, through HTTP only: a tip becomes a
// closed reintegration case, every referral accepted by its receiver, every acceptance citing
// the referral it answers. Then `nrm demo` does the same as an operator would run it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_STORY, checkChain, createBackboneClient, runReferralChain } from '@nrm/cli';
import type { RunningBackbone } from '@nrm/cli';
import { startEmbeddedBackbone } from './embedded-backbone.ts';
import { runNrm } from './nrm-process.ts';

let running: Awaited<ReturnType<typeof startEmbeddedBackbone>>;
let backbone: RunningBackbone;
let dataDir: string;

beforeAll(async () => {
  running = await startEmbeddedBackbone('chain');
  ({ backbone, dataDir } = running);
});

afterAll(async () => running?.stop());

describe('the referral chain over HTTP (embedded)', () => {
  it('takes a case from a tip to a closed reintegration case', async () => {
    const client = await createBackboneClient({ baseUrl: backbone.url, dataDir });
    const { caseId } = await runReferralChain(client, DEMO_STORY);
    const chain = await checkChain(client, caseId);
    expect(chain).toMatchObject({ complete: true });
    expect(chain.distinct).toBe(chain.events);
    const log = await client.get<{ events: { id: string; type: string; causationId: string | null }[] }>('audit', `/cases/${caseId}/events`);
    const byId = new Map(log.events.map((event) => [event.id, event]));
    const accepted = log.events.filter((event) => event.type.endsWith('.ReferralAccepted'));
    expect(accepted.map((event) => event.type)).toEqual(['identification.ReferralAccepted', 'rescue.ReferralAccepted', 'protection.ReferralAccepted', 'reintegration.ReferralAccepted']);
    for (const acceptance of accepted) expect(byId.get(acceptance.causationId!)?.type, acceptance.type).toMatch(/\.ReferralIssued$/);
    expect(log.events.some((event) => event.type === 'rescue.ReturnFromAbroadReceived')).toBe(true);
    expect(JSON.stringify(log)).not.toContain(DEMO_STORY.victim.fullName);
  });

  it('nrm demo drives the same chain against the running backbone and prints it', async () => {
    const result = await runNrm(['demo', '--url', backbone.url, '--data-dir', dataDir], { timeoutMs: 60_000 });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/ReturnFromAbroadReceived/);
    expect(result.stdout).toMatch(/reintegration\s+ReintegrationCaseClosed/);
    expect(result.stdout).toMatch(/Every referral was accepted by its receiver/);
  });
});
