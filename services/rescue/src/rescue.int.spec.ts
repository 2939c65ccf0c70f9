// Rescue over HTTP on a real embedded backbone: victims returned from Cambodia and referred to
// protection, a Lao victim rescued and handed back to Laos, a referral from identification
// answered with a rescue; personal data sealed, replays answered with their first result.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '@nrm/contracts';
import type { AgencyTestApp } from '@nrm/agency-kit/testing';
import { rescueOverHttp, returned, secrets, startRescueBackbone } from './testing/rescue-over-http.ts';

let backbone: AgencyTestApp;
beforeAll(async () => {
  backbone = await startRescueBackbone();
});
afterAll(async () => backbone?.close());

const { post, view, refused, rescuedLaoGirl, referredCase } = rescueOverHttp(() => backbone);

describe('rescue over HTTP', () => {
  it('receives three victims returned from Cambodia at Mộc Bài and refers each to protection', async () => {
    const received = await post('/returns', returned);
    const { caseId } = received.body;
    const { handoverId, personIds } = received.body.allocated;
    expect(received.headers.location).toBe(`/v1/rescue/cases/${caseId}`);
    expect(personIds).toHaveLength(3);
    const shown = await view(caseId);
    expect(shown.case.returns).toEqual([{ handoverId, fromCountry: 'KH', borderGate: 'Mộc Bài', province: 'Tây Ninh', foreignReference: 'KH-SVR-2026-118', personIds }]);
    const [first] = shown.case.persons;
    expect(first).toMatchObject({ personId: personIds[0], sex: 'female', ageGroup: '25-34', child: false, nationality: 'VN', via: 'return', handoverId });
    expect([...first.personalFields].sort()).toEqual(['person.dateOfBirth', 'person.fullName', 'person.idNumber', 'person.phone']);
    for (const [index, personId] of personIds.entries()) {
      await post(`/cases/${caseId}/referrals`, { to: 'protection', kind: 'protection', priority: 'urgent', involvesChild: index === 2, personId, summary: 'returned from Cambodia, needs shelter' });
    }
    const { referrals } = await view(caseId);
    expect(referrals.map((referral: { personId: string }) => referral.personId).sort()).toEqual([...personIds].sort());
    expect(referrals.every((referral: { direction: string; counterpart: string; status: string }) => referral.direction === 'outgoing' && referral.counterpart === 'protection' && referral.status === 'issued')).toBe(true);
  });

  it('rescues a Lao girl on Laos’s request and hands her back through Nậm Cắn: planned, scheduled, completed', async () => {
    const { caseId, personId } = await rescuedLaoGirl();
    const girl = { personId, sex: 'female', ageGroup: '16-17', child: true, nationality: 'LA' };
    const planned = await post(`/cases/${caseId}/handovers`, { toCountry: 'LA', borderGate: 'Nậm Cắn', date: '2026-12-01', persons: [girl], needs: ['escort', 'interpreter', 'child-protection-officer'] });
    const { handoverId } = planned.body.allocated;
    expect((await refused(`/cases/${caseId}/handover-completions`, { handoverId, receivedBy: 'Xiengkhouang provincial police' }, 409)).rule).toBe('handover-not-scheduled');
    await post(`/cases/${caseId}/handover-schedules`, { handoverId, date: '2026-12-03', counterpartReference: 'LA-XK-2026-44' });
    await post(`/cases/${caseId}/handover-completions`, { handoverId, receivedBy: 'Xiengkhouang provincial police' });
    expect((await refused(`/cases/${caseId}/handover-schedules`, { handoverId, date: '2026-12-09' }, 409)).rule).toBe('handover-already-completed');
    expect((await refused(`/cases/${caseId}/handover-completions`, { handoverId, receivedBy: 'Xiengkhouang provincial police' }, 409)).rule).toBe('handover-already-completed');
    const shown = await view(caseId);
    expect(shown.case.handovers).toEqual([
      { handoverId, status: 'completed', toCountry: 'LA', borderGate: 'Nậm Cắn', date: new Date().toISOString().slice(0, 10), persons: [girl], needs: ['escort', 'interpreter', 'child-protection-officer'], counterpartReference: 'LA-XK-2026-44', receivedBy: 'Xiengkhouang provincial police' },
    ]);
    expect(shown.case.rescues[0]).toMatchObject({ status: 'executed', requestedBy: 'foreign-authority', recoveredPersonIds: [personId], personalFields: ['locality'] });
    const types = (await backbone.store.readStream(`rescue-case-${caseId}`)).map((event) => event.type);
    expect(types.slice(-3)).toEqual(['rescue.HandoverPlanned', 'rescue.HandoverScheduled', 'rescue.HandoverCompleted']);
    expect((await refused(`/cases/${caseId}/referrals`, { to: 'protection', kind: 'protection', priority: 'normal', involvesChild: true, personId, summary: 'x' }, 422)).rule).toBe('person-handed-over');
  });

  it('answers a referral from identification with a rescue citing it', async () => {
    const { caseId, referralId } = await referredCase();
    expect((await refused(`/cases/${caseId}/rescues`, { requestedBy: 'referral', referralId, country: 'VN', province: 'Lào Cai', peopleCount: 1, urgency: 'critical' }, 409)).rule).toBe('no-accepted-referral');
    await post(`/cases/${caseId}/referrals/${referralId}/accept`, { note: 'team on its way' }, 200);
    expect((await refused(`/cases/${caseId}/referrals/${referralId}/accept`, {}, 409)).rule).toBe('referral-already-answered');
    const requested = await post(`/cases/${caseId}/rescues`, { requestedBy: 'referral', referralId, country: 'VN', province: 'Lào Cai', locality: 'karaoke bar behind the Lào Cai gate', peopleCount: 1, urgency: 'critical' });
    expect((await view(caseId)).case.rescues).toEqual([expect.objectContaining({ rescueId: requested.body.allocated.rescueId, requestedBy: 'referral', referralId, status: 'requested' })]);
    expect((await refused(`/cases/${caseId}/rescues`, { requestedBy: 'referral', referralId, country: 'VN', peopleCount: 1, urgency: 'critical' }, 409)).rule).toBe('referral-already-requested');
  });

  it('keeps every personal value out of the store, sealed for the right subject', async () => {
    const received = await post('/returns', returned);
    await rescuedLaoGirl();
    const [event] = await backbone.store.readStream(`rescue-case-${received.body.caseId}`);
    const first = (event!.data as { persons: { personId: string; person: { fullName: never } }[] }).persons[0]!;
    expect(first.person.fullName).toMatchObject({ subject: first.personId });
    await expect(backbone.vault.open(first.person.fullName, { field: 'fullName', reader: { actor: 'test', agency: 'rescue' }, purpose: 'test' })).resolves.toBe('Nguyễn Thị Hoa');
    let everything = '';
    for await (const recorded of backbone.store.readAll({})) everything += JSON.stringify(recorded);
    for (const secret of secrets) expect(everything).not.toContain(secret);
  });

  it('answers a return repeated with the same Idempotency-Key with its first ids, writing nothing more', async () => {
    const key = newId();
    const first = await post('/returns', returned, 201, { 'idempotency-key': key });
    const before = await backbone.store.headPosition();
    const again = await post('/returns', returned, 201, { 'idempotency-key': key });
    expect(again.body).toMatchObject({ caseId: first.body.caseId, allocated: { handoverId: first.body.allocated.handoverId, personIds: first.body.allocated.personIds }, duplicate: true });
    expect(await backbone.store.headPosition()).toBe(before);
  });

  it('serves its OpenAPI document with its routes', async () => {
    const document = await backbone.app.inject({ method: 'GET', url: '/v1/rescue/openapi.json' });
    expect(document.statusCode).toBe(200);
    expect(Object.keys(document.json().paths)).toEqual(
      expect.arrayContaining(['/v1/rescue/rescues', '/v1/rescue/returns', '/v1/rescue/cases/{caseId}/handovers', '/v1/rescue/cases/{caseId}/handover-schedules', '/v1/rescue/cases/{caseId}/referrals']),
    );
    expect(Object.keys(document.json().paths)).not.toContain('/v1/rescue/cases/{caseId}/person-referrals');
  });
});
