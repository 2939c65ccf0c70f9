// The shared referral mechanism between two agencies on a real embedded backbone: a referral
// issued by one appears in the other's inbox (a reaction), is accepted with the ReferralIssued
// event as its cause, goes overdue exactly once when its deadline passes unanswered, and a
// withdrawal reaches the receiver. Redelivery of the issuing event appends nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '@nrm/contracts';
import type { RecordedEvent } from '@nrm/contracts';
import { agencyProjections } from './agency-service.ts';
import { referralReactions } from './referral-reactions.ts';
import { createCaseRuntime } from './case-runtime.ts';
import { eventually, startAgencyTestApp } from './testing/agency-test-app.ts';
import type { AgencyTestApp } from './testing/agency-test-app.ts';
import { referralsOnlyService } from './testing/referrals-only-service.ts';

let backbone: AgencyTestApp;
beforeAll(async () => {
  backbone = await startAgencyTestApp([referralsOnlyService('identification'), referralsOnlyService('rescue')]);
});
afterAll(async () => backbone?.close());

async function refer(caseId: string, occurredAt?: string) {
  const response = await backbone.call('identification', 'POST', `/v1/identification/cases/${caseId}/referrals`, {
    to: 'rescue',
    kind: 'rescue',
    priority: 'urgent',
    involvesChild: false,
    summary: 'Three women held in a compound across the border',
    ...(occurredAt ? { occurredAt } : {}),
  });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  const issued = (await backbone.store.readStream(`identification-case-${caseId}`)).find((event) => event.type === 'identification.ReferralIssued')!;
  return { issued, referralId: (issued.data as { referralId: string }).referralId };
}

async function inbox(query = '') {
  const response = await backbone.call('rescue', 'GET', `/v1/rescue/inbox${query}`);
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body.items as { referralId: string; status: string; overdue: boolean; deadline: { state: string } }[];
}

describe('referrals between agencies', () => {
  it('a referral reaches the receiver’s inbox and its case, and is accepted citing the issuing event', async () => {
    const caseId = newId();
    const { issued, referralId } = await refer(caseId);
    const entry = await eventually(async () => {
      const found = (await inbox()).find((item) => item.referralId === referralId);
      expect(found).toBeDefined();
      return found!;
    });
    expect(entry).toMatchObject({ status: 'received', overdue: false, deadline: { state: 'open' } });
    const accepted = await backbone.call('rescue', 'POST', `/v1/rescue/cases/${caseId}/referrals/${referralId}/accept`, { note: 'team dispatched' });
    expect(accepted.status).toBe(200);
    const rescueEvents = await backbone.store.readStream(`rescue-case-${caseId}`);
    expect(rescueEvents.map((event) => event.type)).toEqual(['rescue.ReferralReceived', 'rescue.ReferralAccepted']);
    expect(rescueEvents[0]!.causationId).toBe(issued.id);
    expect(rescueEvents[1]!.causationId).toBe(issued.id);
    const twice = await backbone.call('rescue', 'POST', `/v1/rescue/cases/${caseId}/referrals/${referralId}/accept`, {});
    expect(twice.status).toBe(409);
    expect(twice.body.rule).toBe('referral-already-answered');
    await eventually(async () => expect((await inbox('?status=accepted')).map((item) => item.referralId)).toContain(referralId));
  });

  it('a referral past its deadline goes overdue once, from the scheduler', async () => {
    const caseId = newId();
    const { referralId } = await refer(caseId, new Date(Date.now() - 48 * 3_600_000).toISOString());
    await eventually(async () => expect((await inbox('?overdue=true')).map((item) => item.referralId)).toContain(referralId), 8000);
    const overdue = (await backbone.store.readStream(`rescue-case-${caseId}`)).filter((event) => event.type === 'rescue.ReferralOverdue');
    expect(overdue).toHaveLength(1);
  });

  it('a withdrawal reaches the receiver, who can then no longer accept', async () => {
    const caseId = newId();
    const { referralId } = await refer(caseId);
    await eventually(async () => expect((await inbox()).map((item) => item.referralId)).toContain(referralId));
    const withdrawn = await backbone.call('identification', 'POST', `/v1/identification/cases/${caseId}/referrals/${referralId}/withdraw`, { reason: 'sent to the wrong agency' });
    expect(withdrawn.status).toBe(200);
    await eventually(async () => expect((await inbox('?status=withdrawn')).map((item) => item.referralId)).toContain(referralId));
    const accept = await backbone.call('rescue', 'POST', `/v1/rescue/cases/${caseId}/referrals/${referralId}/accept`, {});
    expect(accept.body.rule).toBe('referral-withdrawn');
  });

  it('redelivering the issuing event appends nothing', async () => {
    const caseId = newId();
    const { issued } = await refer(caseId);
    await eventually(async () => expect(await backbone.store.readStream(`rescue-case-${caseId}`)).toHaveLength(1));
    const runtime = createCaseRuntime('rescue', { initialState: () => null, evolve: (state) => state, decide: () => [] }, { store: backbone.store, registry: (await import('@nrm/contracts')).eventRegistry });
    const reactions = referralReactions(runtime);
    const head = await backbone.store.headPosition();
    await reactions.handler(issued as RecordedEvent);
    await reactions.handler(issued as RecordedEvent);
    expect(await backbone.store.headPosition()).toBe(head);
  });

  it('lists the agency’s cases with cursor paging', async () => {
    for (let i = 0; i < 3; i++) await refer(newId());
    const seen = new Set<string>();
    await eventually(async () => {
      seen.clear();
      let after: string | null = null;
      do {
        const page = await backbone.call('identification', 'GET', `/v1/identification/cases?limit=2${after ? `&after=${encodeURIComponent(after)}` : ''}`);
        expect(page.status).toBe(200);
        for (const item of page.body.items) seen.add(item.caseId);
        after = page.body.nextCursor;
      } while (after);
      expect(seen.size).toBeGreaterThanOrEqual(6);
    });
  });

  it('rebuilding a read model from the log gives the same documents as the live one', async () => {
    const { rebuildProjection } = await import('@nrm/projections');
    const snapshot = async (name: string, partition: string) => {
      const documents: unknown[] = [];
      let after: string | undefined;
      do {
        const page = await backbone.projections.list(name, { partition, limit: 500, ...(after ? { after } : {}) });
        documents.push(...page.items);
        after = page.nextCursor ?? undefined;
      } while (after);
      return documents;
    };
    for (const projection of agencyProjections('rescue').concat(agencyProjections('identification'))) {
      const partition = projection.name.split('.')[0]!;
      let lastRelevant = -1;
      for await (const event of backbone.store.readAll({ filter: projection.filter })) lastRelevant = event.position;
      if (partition === 'rescue') expect(lastRelevant, `${projection.name} has events to project`).toBeGreaterThanOrEqual(0);
      await eventually(async () => expect((await backbone.projections.checkpoint(projection.name))?.position ?? -1).toBeGreaterThanOrEqual(lastRelevant));
      const live = await snapshot(projection.name, partition);
      await rebuildProjection({ store: backbone.store, projections: backbone.projections, projection });
      expect(await snapshot(projection.name, partition), projection.name).toEqual(live);
      if (partition === 'rescue') expect(live.length, projection.name).toBeGreaterThan(0);
    }
  });

  it('refuses inbox queries with bad parameters', async () => {
    expect((await backbone.call('rescue', 'GET', '/v1/rescue/inbox?limit=1000')).status).toBe(400);
    expect((await backbone.call('rescue', 'GET', '/v1/rescue/inbox?status=lost')).status).toBe(400);
    expect((await backbone.call('identification', 'GET', '/v1/rescue/inbox')).status).toBe(403);
  });
});
