// The embedded backbone end to end: how long a referral issued by one agency takes to land in
// the receiving agency's inbox (ReferralIssued recorded → ReferralReceived recorded, the
// reaction through the embedded bus; and → visible in the inbox read model), and how many
// whole cases `simulate` drives through the public HTTP APIs per second.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBackboneClient, resolveStartConfig, simulate, startBackbone } from '@nrm/cli';
import { percentile, round } from './measure.ts';
import type { BenchResult } from './measure.ts';

export async function benchReferrals(options: { quick: boolean }): Promise<BenchResult[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'nrm-bench-referral-'));
  const backbone = await startBackbone(resolveStartConfig(null, { port: '0', 'data-dir': dataDir, 'log-level': 'silent' }, {}));
  try {
    const client = await createBackboneClient({ baseUrl: backbone.url, dataDir });
    const referrals = options.quick ? 50 : 300;
    const toReaction: number[] = [];
    const toInbox: number[] = [];
    for (let i = 0; i < referrals; i++) {
      const tip = await client.post<{ caseId: string }>('intake', '/tips', { channel: 'hotline-111', province: 'An Giang', allegedPlace: { country: 'KH' }, statement: 'bench' });
      await client.post('intake', `/cases/${tip.caseId}/classification`, { tipId: tip.caseId, classification: 'suspected-trafficking', riskLevel: 'high' });
      const started = performance.now();
      const issued = await client.post<{ events: { id: string }[] }>('intake', `/cases/${tip.caseId}/referrals`, { to: 'identification', kind: 'verification', priority: 'urgent', involvesChild: false, summary: 'bench' });
      await client.waitFor('the inbox entry', async () => {
        const inbox = await client.get<{ referrals: { direction: string }[] }>('identification', `/cases/${tip.caseId}`).catch(() => undefined);
        return inbox?.referrals.some((referral) => referral.direction === 'incoming') ? true : undefined;
      });
      toInbox.push(performance.now() - started);
      const events = await backbone.store.readStream(`identification-case-${tip.caseId}`);
      const received = events.find((event) => event.type === 'identification.ReferralReceived')!;
      const issuedEvent = (await backbone.store.readStream(`intake-case-${tip.caseId}`)).find((event) => event.id === issued.events[0]!.id)!;
      toReaction.push(Date.parse(received.recordedAt) - Date.parse(issuedEvent.recordedAt));
    }
    toReaction.sort((a, b) => a - b);
    toInbox.sort((a, b) => a - b);
    const results: BenchResult[] = [
      {
        name: 'embedded.referral.issued-to-received.p99',
        value: percentile(toReaction, 99),
        unit: 'ms',
        target: { value: 20, better: 'lower' },
        detail: { referrals, p50_ms: percentile(toReaction, 50), note: 'ReferralIssued recordedAt → ReferralReceived recordedAt (the receiver’s reaction), durable SQLite' },
      },
      {
        name: 'embedded.referral.issued-to-case-view.p99',
        value: round(percentile(toInbox, 99), 1),
        unit: 'ms',
        detail: { p50_ms: round(percentile(toInbox, 50), 1), note: 'from sending the POST until the receiver’s GET /cases/{id} shows it, polling every 50 ms' },
      },
    ];
    const cases = options.quick ? 10 : 40;
    const run = await simulate(client, { cases, concurrency: 8, seed: 3 });
    if (run.failures.length > 0 || run.completed !== cases) throw new Error(`simulate failed during the benchmark: ${JSON.stringify(run.failures.slice(0, 2))}`);
    results.push({ name: 'embedded.simulate.cases-per-second', value: round(cases / (run.ms / 1000), 1), unit: 'cases/s', detail: { cases, concurrency: 8, events: run.events, events_per_s: Math.round(run.events / (run.ms / 1000)) } });
    return results;
  } finally {
    await backbone.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
