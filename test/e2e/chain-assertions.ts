// What every fault test checks after its run: every chain complete, no accepted event lost (each
// event id an API answer returned is in the auditors' log), nothing recorded twice, and each
// referral filed exactly once by its receiver.
import { expect } from 'vitest';
import type { BackboneClient, SimulationResult } from '@nrm/cli';

export async function expectIntactChains(client: BackboneClient, result: SimulationResult): Promise<void> {
  expect(result.failures).toEqual([]);
  expect(result.completed).toBe(result.cases);
  for (const chain of result.chains) expect(chain.distinct, chain.caseId).toBe(chain.events);
  const logged = new Set(result.chains.flatMap((chain) => chain.eventIds));
  const lost = result.acceptedEventIds.filter((id) => !logged.has(id));
  expect(lost).toEqual([]);
  for (const chain of result.chains) {
    const log = await client.get<{ events: { type: string }[] }>('audit', `/cases/${chain.caseId}/events`);
    const count = (suffix: string) => log.events.filter((event) => event.type.endsWith(suffix)).length;
    expect(count('.ReferralReceived'), chain.caseId).toBe(count('.ReferralIssued'));
  }
}
