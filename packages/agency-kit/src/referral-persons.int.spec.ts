// Referrals that name a person, on a real embedded backbone: through the shared route a case's
// persons are referred each on their own (one open referral per person), the answer names the
// referral allocated (the same one when the request is replayed), and a ReferralIssued fact from
// the agency's own system carries the person to the receiver like the route does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '@nrm/contracts';
import { eventually, startAgencyTestApp } from './testing/agency-test-app.ts';
import type { AgencyTestApp } from './testing/agency-test-app.ts';
import { referralsOnlyService } from './testing/referrals-only-service.ts';

let backbone: AgencyTestApp;
beforeAll(async () => {
  backbone = await startAgencyTestApp([referralsOnlyService('rescue'), referralsOnlyService('protection')]);
});
afterAll(async () => backbone?.close());

const toProtection = (personId?: string) => ({ to: 'protection', kind: 'protection', priority: 'urgent', involvesChild: false, summary: 'returned from abroad, needs shelter', ...(personId ? { personId } : {}) });
const refer = (caseId: string, body: unknown, headers?: Record<string, string>) => backbone.call('rescue', 'POST', `/v1/rescue/cases/${caseId}/referrals`, body, headers);

async function incomingAtProtection(caseId: string, count: number) {
  return eventually(async () => {
    const view = await backbone.call('protection', 'GET', `/v1/protection/cases/${caseId}`);
    expect(view.status).toBe(200);
    expect(view.body.referrals).toHaveLength(count);
    return view.body.referrals as { referralId: string; personId: string | null; status: string }[];
  });
}

describe('referrals naming a person', () => {
  it('refers each person of a case on their own, and a person once while their referral is open', async () => {
    const caseId = newId();
    const persons = [newId(), newId(), newId()];
    const answers = [];
    for (const personId of persons) {
      const answer = await refer(caseId, toProtection(personId));
      expect(answer.status, JSON.stringify(answer.body)).toBe(201);
      answers.push(answer.body);
    }
    const again = await refer(caseId, toProtection(persons[0]));
    expect(again.status).toBe(409);
    expect(again.body.rule).toBe('referral-already-open');
    const issued = (await backbone.store.readStream(`rescue-case-${caseId}`)).map((event) => event.data as { referralId: string; personId: string });
    expect(issued.map((data) => data.personId)).toEqual(persons);
    expect(answers.map((answer) => answer.allocated.referralId)).toEqual(issued.map((data) => data.referralId));
    const received = await incomingAtProtection(caseId, 3);
    expect(received.map((referral) => referral.personId).sort()).toEqual([...persons].sort());
  });

  it('answers a replayed referral with the referral first allocated, writing nothing more', async () => {
    const caseId = newId();
    const key = newId();
    const body = toProtection(newId());
    const first = await refer(caseId, body, { 'idempotency-key': key });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    // Protection files the referral in its own stream meanwhile; let it land before counting what is written.
    await incomingAtProtection(caseId, 1);
    const before = await backbone.store.headPosition();
    const again = await refer(caseId, body, { 'idempotency-key': key });
    expect(again.body).toMatchObject({ duplicate: true, events: first.body.events, allocated: { referralId: first.body.allocated.referralId } });
    expect(await backbone.store.headPosition()).toBe(before);
  });

  it('takes the person from a ReferralIssued fact to the receiver, once', async () => {
    const caseId = newId();
    const [personId, referralId] = [newId(), newId()];
    const fact = { id: newId(), type: 'rescue.ReferralIssued', caseId, data: { ...toProtection(personId), referralId } };
    const sent = await backbone.call('rescue', 'POST', '/v1/rescue/events', { events: [fact] });
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);
    expect(sent.body.results[0]).toMatchObject({ status: 'accepted', caseId });
    const [received] = await incomingAtProtection(caseId, 1);
    expect(received).toMatchObject({ referralId, personId, status: 'received' });
    await eventually(async () => {
      const inbox = await backbone.call('protection', 'GET', '/v1/protection/inbox');
      expect(inbox.body.items).toEqual(expect.arrayContaining([expect.objectContaining({ referralId, personId })]));
    });
    const twice = await backbone.call('rescue', 'POST', '/v1/rescue/events', { events: [fact] });
    expect(twice.body.results[0]).toMatchObject({ status: 'duplicate', caseId });
    const other = await backbone.call('rescue', 'POST', '/v1/rescue/events', { events: [{ ...fact, id: newId(), data: { ...fact.data, referralId: newId() } }] });
    expect(other.body.results[0]).toMatchObject({ status: 'rejected', rule: 'referral-already-open' });
  });
});
