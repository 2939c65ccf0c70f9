// Rescue refuses every bad input over HTTP with a problem+json naming the field or the rule, and
// writes nothing: mistyped, unknown and missing fields, rules between fields, commands out of
// order, cases never opened, stale revisions, another agency's token, facts it does not own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '@nrm/contracts';
import type { AgencyTestApp } from '@nrm/agency-kit/testing';
import { fieldsOf, rescueOverHttp, returned, startRescueBackbone } from './testing/rescue-over-http.ts';

let backbone: AgencyTestApp;
beforeAll(async () => {
  backbone = await startRescueBackbone();
});
afterAll(async () => backbone?.close());

const { post, refused, rescuedLaoGirl } = rescueOverHttp(() => backbone);

describe('rescue refuses bad input with problem+json and writes nothing', () => {
  it('returns: from Viet Nam, through a gate facing another country, unknown, missing or mistyped fields', async () => {
    expect(fieldsOf(await refused('/returns', { ...returned, fromCountry: 'VN', borderGate: undefined }, 400))).toContain('body.fromCountry');
    expect(fieldsOf(await refused('/returns', { ...returned, borderGate: 'Lào Cai' }, 400))).toContain('body.borderGate');
    expect(JSON.stringify((await refused('/returns', { ...returned, victimNames: ['x'] }, 400)).errors)).toMatch(/victimNames/);
    expect(fieldsOf(await refused('/returns', { ...returned, province: undefined }, 400))).toContain('body.province');
    expect(fieldsOf(await refused('/returns', { ...returned, persons: [{ ...returned.persons[0], child: true }] }, 400))).toContain('body.persons.0.child');
    expect(fieldsOf(await refused('/returns', { ...returned, persons: 'three' }, 400))).toContain('body.persons');
    expect(JSON.stringify((await refused('/returns', { ...returned, persons: [{ ...returned.persons[0], person: { fullName: 'A', religion: 'x' } }] }, 400)).errors)).toMatch(/religion/);
  });

  it('rescues and operations: wrong types, unknown and missing fields, rules between fields', async () => {
    const request = { requestedBy: 'foreign-authority', country: 'VN', province: 'Nghệ An', peopleCount: 2, urgency: 'high' };
    expect(fieldsOf(await refused('/rescues', { ...request, peopleCount: 'two' }, 400))).toContain('body.peopleCount');
    expect(fieldsOf(await refused('/rescues', { ...request, country: 'LA' }, 400))).toContain('body.province');
    expect(fieldsOf(await refused('/rescues', { ...request, referralId: newId() }, 400))).toContain('body.referralId');
    expect(fieldsOf(await refused('/rescues', { ...request, minorCount: 3 }, 400))).toContain('body.minorCount');
    expect((await refused('/rescues', { ...request, requestedBy: 'police' }, 422)).rule).toBe('direct-request-not-foreign');
    const requested = (await post('/rescues', request)).body;
    const { caseId } = requested;
    const { rescueId } = requested.allocated;
    expect(fieldsOf(await refused(`/cases/${caseId}/operation-plans`, { rescueId, plannedFor: 'tonight', country: 'VN', forces: ['police'] }, 400))).toContain('body.plannedFor');
    expect(fieldsOf(await refused(`/cases/${caseId}/operation-plans`, { rescueId, plannedFor: '2026-11-20T22:00:00.000Z', country: 'VN', forces: ['police', 'police'] }, 400))).toContain('body.forces.1');
    expect(JSON.stringify((await refused(`/cases/${caseId}/operation-plans`, { rescueId, plannedFor: '2026-11-20T22:00:00.000Z', country: 'VN', forces: ['police'], commander: 'x' }, 400)).errors)).toMatch(/commander/);
    expect((await refused(`/cases/${caseId}/operation-plans`, { rescueId: newId(), plannedFor: '2026-11-20T22:00:00.000Z', country: 'VN', forces: ['police'] }, 422)).rule).toBe('rescue-unknown');
    expect((await refused(`/cases/${caseId}/operation-reports`, { rescueId, outcome: 'no-one-found', personsRecovered: 0, minorsRecovered: 0, suspectsDetained: 0 }, 409)).rule).toBe('operation-not-planned');
    expect(fieldsOf(await refused(`/cases/${caseId}/operation-reports`, { rescueId, outcome: 'no-one-found', personsRecovered: 2, minorsRecovered: 0, suspectsDetained: 0 }, 400))).toContain('body.personsRecovered');
    expect(JSON.stringify((await refused(`/cases/${caseId}/operation-reports`, { rescueId, outcome: 'called-off', personsRecovered: 0, minorsRecovered: 0, suspectsDetained: 0, casualties: 0 }, 400)).errors)).toMatch(/casualties/);
    expect(fieldsOf(await refused(`/cases/${caseId}/rescues`, { ...request, urgency: 'extreme' }, 400))).toContain('body.urgency');
    expect((await refused(`/cases/${caseId}/recovered-persons`, { rescueId, persons: returned.persons.slice(0, 1) }, 409)).rule).toBe('operation-not-executed');
    expect(fieldsOf(await refused(`/cases/${caseId}/recovered-persons`, { rescueId }, 400))).toContain('body.persons');
    await refused(`/cases/${caseId}/operation-plans`, { rescueId, plannedFor: '2026-11-20T22:00:00.000Z', country: 'VN', forces: ['police'] }, 412, { 'if-match': '"9"' });
  });

  it('handovers: to Viet Nam, through the wrong gate, persons the case does not know, out of order', async () => {
    const { caseId, personId } = await rescuedLaoGirl();
    const girl = { personId, sex: 'female', ageGroup: '16-17', child: true, nationality: 'LA' };
    const plan = { toCountry: 'LA', borderGate: 'Cầu Treo', date: '2026-12-01', persons: [girl], needs: [] };
    expect(fieldsOf(await refused(`/cases/${caseId}/handovers`, { ...plan, toCountry: 'VN', borderGate: undefined }, 400))).toContain('body.toCountry');
    expect(fieldsOf(await refused(`/cases/${caseId}/handovers`, { ...plan, borderGate: 'Mộc Bài' }, 400))).toContain('body.borderGate');
    expect(fieldsOf(await refused(`/cases/${caseId}/handovers`, { ...plan, date: '2026-13-01' }, 400))).toContain('body.date');
    expect(fieldsOf(await refused(`/cases/${caseId}/handovers`, { ...plan, persons: [{ personId }] }, 400))).toEqual(expect.arrayContaining(['body.persons.0.sex']));
    expect((await refused(`/cases/${caseId}/handovers`, { ...plan, persons: [{ ...girl, personId: newId() }] }, 422)).rule).toBe('person-unknown');
    expect((await refused(`/cases/${caseId}/handover-schedules`, { handoverId: newId(), date: '2026-12-03' }, 409)).rule).toBe('handover-not-planned');
    const { handoverId } = (await post(`/cases/${caseId}/handovers`, plan)).body.allocated;
    expect((await refused(`/cases/${caseId}/handover-schedules`, { handoverId, date: '2026-12-03', borderGate: 'Hữu Nghị' }, 422)).rule).toBe('gate-not-on-border');
    expect(JSON.stringify((await refused(`/cases/${caseId}/handover-schedules`, { handoverId, date: '2026-12-03', toCountry: 'KH' }, 400)).errors)).toMatch(/toCountry/);
    expect((await refused(`/cases/${caseId}/handovers`, { ...plan }, 409)).rule).toBe('person-already-in-handover');
    expect(fieldsOf(await refused(`/cases/${caseId}/handover-completions`, { handoverId, receivedBy: 'Vientiane police', personIds: [personId, personId] }, 400))).toContain('body.personIds.1');
    expect(fieldsOf(await refused(`/cases/${caseId}/handover-completions`, { handoverId }, 400))).toContain('body.receivedBy');
    expect((await refused(`/cases/${caseId}/handover-completions`, { handoverId, receivedBy: 'Vientiane police' }, 409)).rule).toBe('handover-not-scheduled');
  });

  it('referrals: the shared route, a person not in the case, a child not flagged, an agency that does not exist', async () => {
    const received = (await post('/returns', returned)).body;
    const { caseId } = received;
    const { personIds } = received.allocated;
    expect((await refused(`/cases/${caseId}/referrals`, { to: 'protection', kind: 'protection', priority: 'normal', involvesChild: false, summary: 'x' }, 422)).rule).toBe('person-required');
    expect((await refused(`/cases/${caseId}/referrals`, { to: 'protection', kind: 'protection', priority: 'normal', involvesChild: false, personId: newId(), summary: 'x' }, 422)).rule).toBe('person-unknown');
    expect((await refused(`/cases/${caseId}/referrals`, { to: 'protection', kind: 'protection', priority: 'normal', involvesChild: false, personId: personIds[2], summary: 'x' }, 422)).rule).toBe('child-not-flagged');
    expect(fieldsOf(await refused(`/cases/${caseId}/referrals`, { to: 'shelter', kind: 'protection', priority: 'normal', involvesChild: false, personId: personIds[0], summary: 'x' }, 400))).toContain('body.to');
    expect(fieldsOf(await refused(`/cases/${caseId}/referrals`, { to: 'protection', kind: 'protection', priority: 'normal', involvesChild: false, personId: 'Hoa', summary: 'x' }, 400))).toContain('body.personId');
  });

  it('a case never opened is a 404, a malformed case id a 400', async () => {
    const never = newId();
    await refused(`/cases/${never}/returns`, returned, 404);
    await refused(`/cases/${never}/operation-plans`, { rescueId: newId(), plannedFor: '2026-11-20T22:00:00.000Z', country: 'VN', forces: ['police'] }, 404);
    await refused(`/cases/${never}/handover-schedules`, { handoverId: newId(), date: '2026-12-03' }, 404);
    await refused('/cases/not-a-case/returns', returned, 400);
    expect((await backbone.call('rescue', 'GET', `/v1/rescue/cases/${never}`)).status).toBe(404);
  });

  it('another agency cannot write rescue events', async () => {
    const before = await backbone.store.headPosition();
    const response = await backbone.app.inject({ method: 'POST', url: '/v1/rescue/returns', headers: { authorization: `Bearer ${await backbone.token('identification')}` }, payload: returned });
    expect(response.statusCode).toBe(403);
    expect(await backbone.store.headPosition()).toBe(before);
  });
});

describe('rescue ingestion endpoint', () => {
  it('answers each fact: accepted, duplicate, rejected with the rule, and writes nothing for a rejected one', async () => {
    const factId = newId();
    const before = await backbone.store.headPosition();
    const rejectedOnly = {
      events: [
        { id: newId(), type: 'identification.VictimIdentified', caseId: newId(), data: {} },
        { id: newId(), type: 'rescue.ReturnFromAbroadReceived', data: { ...returned, fromCountry: 'VN', borderGate: undefined } },
        { id: newId(), type: 'rescue.HandoverScheduled', caseId: newId(), data: { handoverId: newId(), date: '2026-12-03' } },
        { id: newId(), type: 'rescue.RescueRequested', data: { requestedBy: 'ngo', country: 'VN', peopleCount: 1, urgency: 'low' } },
      ],
    };
    const refusedFacts = await backbone.call('rescue', 'POST', '/v1/rescue/events', rejectedOnly);
    expect(refusedFacts.status).toBe(200);
    expect(refusedFacts.body.results.map((result: { rule?: string }) => result.rule)).toEqual(['foreign-event-type', 'invalid-payload', 'not-found', 'direct-request-not-foreign']);
    expect(await backbone.store.headPosition()).toBe(before);
    const accepted = await backbone.call('rescue', 'POST', '/v1/rescue/events', { events: [{ id: factId, type: 'rescue.ReturnFromAbroadReceived', data: returned }] });
    expect(accepted.body.results[0]).toMatchObject({ status: 'accepted' });
    const again = await backbone.call('rescue', 'POST', '/v1/rescue/events', { events: [{ id: factId, type: 'rescue.ReturnFromAbroadReceived', data: returned }] });
    expect(again.body.results[0]).toMatchObject({ status: 'duplicate', caseId: accepted.body.results[0].caseId });
  });

  it('answers the ids a fact allocated, the same ones when it is sent again; with a caseId, a fact is recorded in that case', async () => {
    const send = async (...events: unknown[]) => {
      const response = await backbone.call('rescue', 'POST', '/v1/rescue/events', { events });
      expect(response.status, JSON.stringify(response.body)).toBe(200);
      return response.body.results;
    };
    const opening = { id: newId(), type: 'rescue.ReturnFromAbroadReceived', data: returned };
    const [opened] = await send(opening);
    expect(opened).toMatchObject({ status: 'accepted', allocated: { handoverId: expect.any(String), personIds: expect.any(Array) } });
    const { caseId, allocated } = opened;
    expect(allocated.personIds).toHaveLength(3);
    expect((await send(opening))[0]).toMatchObject({ status: 'duplicate', caseId, allocated });
    const shown = await backbone.call('rescue', 'GET', `/v1/rescue/cases/${caseId}`);
    expect(shown.body.case.returns).toEqual([expect.objectContaining({ handoverId: allocated.handoverId, personIds: allocated.personIds })]);

    const laterReturn = { id: newId(), type: 'rescue.ReturnFromAbroadReceived', caseId, data: { ...returned, persons: returned.persons.slice(0, 1) } };
    const foreignRequest = { id: newId(), type: 'rescue.RescueRequested', caseId, data: { requestedBy: 'foreign-authority', country: 'VN', province: 'Tây Ninh', peopleCount: 1, urgency: 'high' } };
    const inCase = await send(laterReturn, foreignRequest);
    expect(inCase).toEqual([expect.objectContaining({ status: 'accepted', caseId }), expect.objectContaining({ status: 'accepted', caseId, allocated: { rescueId: expect.any(String) } })]);
    const after = (await backbone.call('rescue', 'GET', `/v1/rescue/cases/${caseId}`)).body.case;
    expect(after.returns.map((received: { handoverId: string }) => received.handoverId)).toEqual([allocated.handoverId, inCase[0].allocated.handoverId]);
    expect(after.rescues).toEqual([expect.objectContaining({ rescueId: inCase[1].allocated.rescueId, requestedBy: 'foreign-authority' })]);
    expect((await send({ ...laterReturn, id: newId(), caseId: newId() }))[0]).toMatchObject({ status: 'rejected', rule: 'not-found' });
  });
});
