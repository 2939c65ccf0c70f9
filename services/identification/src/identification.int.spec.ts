// Identification over HTTP on a real embedded backbone: a tip intake refers reaches
// identification, is accepted, its presumed victim verified, identified and referred to rescue,
// which sees the referral in its own case and accepts it; and every bad input refused with a
// problem+json naming the field or the rule, with nothing written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '@nrm/contracts';
import { eventually, startAgencyTestApp } from '@nrm/agency-kit/testing';
import type { AgencyTestApp } from '@nrm/agency-kit/testing';
import { intakeService } from '@nrm/intake';
import { rescueService } from '@nrm/rescue';
import { identificationService } from './index.ts';

let backbone: AgencyTestApp;
beforeAll(async () => {
  backbone = await startAgencyTestApp([intakeService, identificationService, rescueService]);
});
afterAll(async () => backbone?.close());

const victim = {
  person: { fullName: 'Phạm Thị Lan', dateOfBirth: '2009-02-14', idNumber: '040309001122', address: 'xóm 3, Quỳnh Lưu, Nghệ An', phone: '+84 912 000 111' },
  sex: 'female',
  ageGroup: '16-17',
  child: true,
  nationality: 'VN',
  formsOfExploitation: ['forced-criminality', 'forced-labour'],
  exploitationCountry: 'KH',
  province: 'Nghệ An',
  homeProvince: 'Nghệ An',
};
const stepNote = 'She said her cousin Hồ Văn Tâm sold her to a compound in Sihanoukville.';
const secrets = ['Phạm Thị Lan', '2009-02-14', '040309001122', 'Quỳnh Lưu', '912 000 111', 'Hồ Văn Tâm', 'Sihanoukville'];

async function identification(method: 'GET' | 'POST', url: string, body?: unknown, status = method === 'GET' ? 200 : 201, headers?: Record<string, string>) {
  const response = await backbone.call('identification', method, `/v1/identification${url}`, body, headers);
  expect(response.status, JSON.stringify(response.body)).toBe(status);
  return response;
}

async function refused(url: string, body: unknown, status: number, headers?: Record<string, string>) {
  const before = await backbone.store.headPosition();
  const response = await backbone.call('identification', 'POST', `/v1/identification${url}`, body, headers);
  expect(response.status, JSON.stringify(response.body)).toBe(status);
  expect(String(response.headers['content-type'])).toMatch(/^application\/problem\+json/);
  expect(await backbone.store.headPosition()).toBe(before);
  return response.body;
}

const fieldsOf = (problem: { errors?: { field: string }[] }) => (problem.errors ?? []).map((issue) => issue.field);

/** Intake receives, classifies and refers a tip to identification; identification's inbox files it. */
async function referredCase() {
  const tip = await backbone.call('intake', 'POST', '/v1/intake/tips', { channel: 'hotline-111', province: 'Nghệ An', allegedPlace: { country: 'KH' }, peopleCount: 1, minorCount: 1, statement: 'A girl from Quỳnh Lưu is held in a scam compound.' });
  expect(tip.status, JSON.stringify(tip.body)).toBe(201);
  const caseId = tip.body.caseId as string;
  expect((await backbone.call('intake', 'POST', `/v1/intake/cases/${caseId}/classification`, { tipId: caseId, classification: 'suspected-trafficking', riskLevel: 'high', suspectedForms: ['forced-criminality'] })).status).toBe(200);
  const referral = { to: 'identification', kind: 'verification', priority: 'urgent', involvesChild: true, summary: 'a minor held in a scam compound in Cambodia' };
  expect((await backbone.call('intake', 'POST', `/v1/intake/cases/${caseId}/referrals`, referral)).status).toBe(201);
  const incoming = await eventually(async () => {
    const [filed] = (await identification('GET', `/cases/${caseId}`)).body.referrals;
    expect(filed).toMatchObject({ direction: 'incoming', counterpart: 'intake', status: 'received', kind: 'verification' });
    return filed;
  });
  return { caseId, referralId: incoming.referralId as string };
}

/** A referred case identification accepted, with a first verification step about its presumed victim. */
async function caseWithPresumedVictim() {
  const { caseId, referralId } = await referredCase();
  await identification('POST', `/cases/${caseId}/referrals/${referralId}/accept`, {}, 200);
  const step = await identification('POST', `/cases/${caseId}/verification-steps`, { step: 'interview', result: 'supports', note: stepNote });
  return { caseId, referralId, personId: step.body.allocated.personId as string };
}

describe('identification over HTTP', () => {
  it('takes a tip from intake to an identified victim referred to rescue, which accepts', async () => {
    const { caseId, referralId } = await referredCase();
    expect((await identification('GET', `/cases/${caseId}`)).body.case).toEqual({ persons: [] });
    await identification('POST', `/cases/${caseId}/referrals/${referralId}/accept`, { note: 'verification team assigned' }, 200);
    const step = await identification('POST', `/cases/${caseId}/verification-steps`, { step: 'interview', result: 'supports', note: stepNote }, 201, { 'if-match': '"1"' });
    expect(step.headers.etag).toBe('"2"');
    const { personId } = step.body.allocated;
    await identification('POST', `/cases/${caseId}/verification-steps`, { personId, step: 'age-assessment', result: 'supports' });
    await identification('POST', `/cases/${caseId}/identified-victims`, { personId, ...victim });
    await identification('POST', `/cases/${caseId}/referrals`, { to: 'rescue', kind: 'rescue', priority: 'urgent', involvesChild: true, personId, summary: 'identified child still held in a compound in Cambodia' });
    await identification('POST', `/cases/${caseId}/referrals/${referralId}/complete`, { outcome: 'victim identified and referred to rescue' }, 200);

    const shown = (await identification('GET', `/cases/${caseId}`)).body;
    const [person] = shown.case.persons;
    expect(person).toMatchObject({ personId, status: 'identified', sex: 'female', ageGroup: '16-17', child: true, nationality: 'VN', formsOfExploitation: ['forced-criminality', 'forced-labour'], exploitationCountry: 'KH', steps: [{ step: 'interview', result: 'supports' }, { step: 'age-assessment', result: 'supports' }] });
    expect([...person.personalFields].sort()).toEqual(['person.address', 'person.dateOfBirth', 'person.fullName', 'person.idNumber', 'person.phone', 'steps.0.note']);
    expect(shown.referrals).toEqual(expect.arrayContaining([expect.objectContaining({ referralId, direction: 'incoming', status: 'completed' }), expect.objectContaining({ direction: 'outgoing', counterpart: 'rescue', personId, status: 'issued' })]));

    const atRescue = await eventually(async () => {
      const response = await backbone.call('rescue', 'GET', `/v1/rescue/cases/${caseId}`);
      expect(response.status).toBe(200);
      expect(response.body.referrals).toEqual([expect.objectContaining({ direction: 'incoming', counterpart: 'identification', personId, kind: 'rescue', involvesChild: true, status: 'received' })]);
      return response.body.referrals[0];
    });
    expect((await backbone.call('rescue', 'POST', `/v1/rescue/cases/${caseId}/referrals/${atRescue.referralId}/accept`, {})).status).toBe(200);
    await eventually(async () => expect((await backbone.call('rescue', 'GET', `/v1/rescue/cases/${caseId}`)).body.referrals[0].status).toBe('accepted'));
  });

  it('records a person not identified as a victim, with the reason, and refers them nowhere', async () => {
    const { caseId, personId } = await caseWithPresumedVictim();
    await identification('POST', `/cases/${caseId}/not-identified-persons`, { personId, reason: 'other-offence', province: 'Đắk Nông', note: 'smuggled, not trafficked' });
    expect((await identification('GET', `/cases/${caseId}`)).body.case.persons[0]).toMatchObject({ personId, status: 'not-identified', reason: 'other-offence', province: 'Đắk Nông', personalFields: ['steps.0.note', 'note'] });
    expect((await refused(`/cases/${caseId}/identified-victims`, { personId, ...victim }, 409)).rule).toBe('victim-already-not-identified');
    expect((await refused(`/cases/${caseId}/referrals`, { to: 'protection', kind: 'protection', priority: 'normal', involvesChild: true, personId, summary: 'x' }, 422)).rule).toBe('not-a-victim');
  });

  it('keeps every personal value out of the store, sealed for the person', async () => {
    const { caseId, personId } = await caseWithPresumedVictim();
    await identification('POST', `/cases/${caseId}/identified-victims`, { personId, ...victim });
    const events = await backbone.store.readStream(`identification-case-${caseId}`);
    const stored = JSON.stringify(events);
    for (const secret of secrets) expect(stored).not.toContain(secret);
    const identified = events.find((event) => event.type === 'identification.VictimIdentified')!.data as { person: { fullName: never } };
    expect(identified.person.fullName).toMatchObject({ subject: personId });
    await expect(backbone.vault.open(identified.person.fullName, { field: 'fullName', reader: { actor: 'test', agency: 'identification' }, purpose: 'test' })).resolves.toBe('Phạm Thị Lan');
    const step = events.find((event) => event.type === 'identification.VerificationStepRecorded')!.data as { note: never };
    await expect(backbone.vault.open(step.note, { field: 'note', reader: { actor: 'test', agency: 'identification' }, purpose: 'test' })).resolves.toBe(stepNote);
  });

  it('answers a first step repeated with the same Idempotency-Key with the same personId, writing nothing more', async () => {
    const { caseId, referralId } = await referredCase();
    await identification('POST', `/cases/${caseId}/referrals/${referralId}/accept`, {}, 200);
    const key = newId();
    const first = await identification('POST', `/cases/${caseId}/verification-steps`, { step: 'interview', result: 'inconclusive' }, 201, { 'idempotency-key': key });
    const again = await identification('POST', `/cases/${caseId}/verification-steps`, { step: 'interview', result: 'inconclusive' }, 201, { 'idempotency-key': key });
    expect(again.body).toMatchObject({ allocated: { personId: first.body.allocated.personId }, duplicate: true, events: first.body.events });
    expect((await identification('GET', `/cases/${caseId}`)).body.case.persons).toHaveLength(1);
  });

  describe('refuses bad input with problem+json and writes nothing', () => {
    it('verification steps: wrong types, unknown and missing fields, before acceptance, about a stranger, after the conclusion', async () => {
      const { caseId, referralId } = await referredCase();
      expect((await refused(`/cases/${caseId}/verification-steps`, { step: 'interview', result: 'supports' }, 409)).rule).toBe('no-accepted-referral');
      await identification('POST', `/cases/${caseId}/referrals/${referralId}/accept`, {}, 200);
      expect((await refused(`/cases/${caseId}/referrals/${referralId}/accept`, {}, 409)).rule).toBe('referral-already-answered');
      expect(fieldsOf(await refused(`/cases/${caseId}/verification-steps`, { step: 'interview', result: 'yes' }, 400))).toContain('body.result');
      expect(fieldsOf(await refused(`/cases/${caseId}/verification-steps`, { result: 'supports' }, 400))).toContain('body.step');
      expect(fieldsOf(await refused(`/cases/${caseId}/verification-steps`, { step: 'interview', result: 'supports', personId: 'Lan' }, 400))).toContain('body.personId');
      expect(fieldsOf(await refused(`/cases/${caseId}/verification-steps`, { step: 'interview', result: 'supports', note: 42 }, 400))).toContain('body.note');
      expect(JSON.stringify((await refused(`/cases/${caseId}/verification-steps`, { step: 'interview', result: 'supports', victimName: 'Lan' }, 400)).errors)).toMatch(/victimName/);
      expect((await refused(`/cases/${caseId}/verification-steps`, { personId: newId(), step: 'interview', result: 'supports' }, 422)).rule).toBe('person-unknown');
      await refused(`/cases/${caseId}/verification-steps`, { step: 'interview', result: 'supports' }, 412, { 'if-match': '"0"' });
    });

    it('identification: rules between fields, a person concluded twice or never verified', async () => {
      const { caseId, personId } = await caseWithPresumedVictim();
      expect(fieldsOf(await refused(`/cases/${caseId}/identified-victims`, { personId, ...victim, child: false }, 400))).toContain('body.child');
      expect(fieldsOf(await refused(`/cases/${caseId}/identified-victims`, { personId, ...victim, formsOfExploitation: ['forced-labour', 'forced-labour'] }, 400))).toContain('body.formsOfExploitation.1');
      expect(fieldsOf(await refused(`/cases/${caseId}/identified-victims`, { personId, ...victim, formsOfExploitation: [] }, 400))).toContain('body.formsOfExploitation');
      expect(fieldsOf(await refused(`/cases/${caseId}/identified-victims`, { personId, ...victim, person: { ...victim.person, phone: 'call me' } }, 400))).toContain('body.person.phone');
      expect(fieldsOf(await refused(`/cases/${caseId}/identified-victims`, { personId, ...victim, province: 'Atlantis' }, 400))).toContain('body.province');
      expect(fieldsOf(await refused(`/cases/${caseId}/identified-victims`, { ...victim }, 400))).toContain('body.personId');
      expect(JSON.stringify((await refused(`/cases/${caseId}/identified-victims`, { personId, ...victim, religion: 'x' }, 400)).errors)).toMatch(/religion/);
      expect(fieldsOf(await refused(`/cases/${caseId}/not-identified-persons`, { personId, reason: 'insufficient-evidence' }, 400))).toContain('body.province');
      expect(JSON.stringify((await refused(`/cases/${caseId}/not-identified-persons`, { personId, reason: 'insufficient-evidence', province: 'Nghệ An', name: 'x' }, 400)).errors)).toMatch(/name/);
      expect(fieldsOf(await refused(`/cases/${caseId}/not-identified-persons`, { personId, reason: 'looked fine', province: 'Nghệ An' }, 400))).toContain('body.reason');
      await identification('POST', `/cases/${caseId}/identified-victims`, { personId, ...victim });
      expect((await refused(`/cases/${caseId}/identified-victims`, { personId, ...victim }, 409)).rule).toBe('victim-already-identified');
      expect((await refused(`/cases/${caseId}/not-identified-persons`, { personId, reason: 'insufficient-evidence', province: 'Nghệ An' }, 409)).rule).toBe('victim-already-identified');
      expect((await refused(`/cases/${caseId}/verification-steps`, { personId, step: 'records-check', result: 'supports' }, 409)).rule).toBe('verification-concluded');
    });

    it('referrals: before identification, naming no one, wrong agency or kind, a child not flagged', async () => {
      const { caseId, personId } = await caseWithPresumedVictim();
      const referral = { to: 'rescue', kind: 'rescue', priority: 'urgent', involvesChild: true, personId, summary: 'x' };
      expect((await refused(`/cases/${caseId}/referrals`, referral, 409)).rule).toBe('victim-not-identified');
      await identification('POST', `/cases/${caseId}/identified-victims`, { personId, ...victim });
      expect((await refused(`/cases/${caseId}/referrals`, { to: 'rescue', kind: 'rescue', priority: 'urgent', involvesChild: true, summary: 'x' }, 422)).rule).toBe('person-required');
      expect((await refused(`/cases/${caseId}/referrals`, { ...referral, personId: undefined }, 422)).rule).toBe('person-required');
      expect((await refused(`/cases/${caseId}/referrals`, { ...referral, to: 'reintegration', kind: 'reintegration' }, 422)).rule).toBe('referral-not-onward');
      expect((await refused(`/cases/${caseId}/referrals`, { ...referral, kind: 'support' }, 422)).rule).toBe('referral-kind-mismatch');
      expect((await refused(`/cases/${caseId}/referrals`, { ...referral, involvesChild: false }, 422)).rule).toBe('child-not-flagged');
      expect(fieldsOf(await refused(`/cases/${caseId}/referrals`, { ...referral, to: 'police' }, 400))).toContain('body.to');
      expect(fieldsOf(await refused(`/cases/${caseId}/referrals`, { ...referral, personId: 'Lan' }, 400))).toContain('body.personId');
      expect(fieldsOf(await refused(`/cases/${caseId}/referrals`, { ...referral, involvesChild: 'yes' }, 400))).toContain('body.involvesChild');
      expect(JSON.stringify((await refused(`/cases/${caseId}/referrals`, { ...referral, acceptBy: '2030-01-01T00:00:00.000Z' }, 400)).errors)).toMatch(/acceptBy/);
      await identification('POST', `/cases/${caseId}/referrals`, referral);
      // Rescue files the referral in its own stream meanwhile; let it land before counting what is written.
      await eventually(async () => expect((await backbone.call('rescue', 'GET', `/v1/rescue/cases/${caseId}`)).status).toBe(200));
      expect((await refused(`/cases/${caseId}/referrals`, referral, 409)).rule).toBe('referral-already-open');
    });

    it('a case never opened is a 404; another agency may neither write nor read it', async () => {
      const never = newId();
      await refused(`/cases/${never}/verification-steps`, { step: 'interview', result: 'supports' }, 404);
      await refused(`/cases/${never}/identified-victims`, { personId: newId(), ...victim }, 404);
      await refused(`/cases/${never}/referrals/${newId()}/accept`, {}, 404);
      const { caseId } = await referredCase();
      const before = await backbone.store.headPosition();
      const response = await backbone.app.inject({ method: 'POST', url: `/v1/identification/cases/${caseId}/verification-steps`, headers: { authorization: `Bearer ${await backbone.token('rescue')}` }, payload: { step: 'interview', result: 'supports' } });
      expect(response.statusCode).toBe(403);
      expect(await backbone.store.headPosition()).toBe(before);
      expect((await backbone.call('rescue', 'GET', `/v1/identification/cases/${caseId}`)).status).toBe(404);
    });
  });

  describe('ingestion endpoint', () => {
    it('answers each fact: accepted, duplicate, rejected with the rule', async () => {
      const { caseId, referralId } = await referredCase();
      const stepFact = { id: newId(), type: 'identification.VerificationStepRecorded', caseId, data: { step: 'document-check', result: 'supports' } };
      const before = await backbone.store.headPosition();
      const early = await identification('POST', '/events', { events: [stepFact, { id: newId(), type: 'rescue.RescueRequested', caseId, data: {} }] }, 200);
      expect(early.body.results.map((result: { rule?: string }) => result.rule)).toEqual(['no-accepted-referral', 'foreign-event-type']);
      expect(await backbone.store.headPosition()).toBe(before);
      await identification('POST', `/cases/${caseId}/referrals/${referralId}/accept`, {}, 200);
      const facts = [stepFact, { id: newId(), type: 'identification.VictimIdentified', caseId, data: { personId: newId(), ...victim, child: false } }, { id: newId(), type: 'identification.VictimNotIdentified', caseId, data: { personId: newId(), reason: 'insufficient-evidence', province: 'Nghệ An' } }];
      const answered = await identification('POST', '/events', { events: facts }, 200);
      expect(answered.body.results.map((result: { rule?: string; status: string }) => result.rule ?? result.status)).toEqual(['accepted', 'invalid-payload', 'person-unknown']);
      const { personId } = answered.body.results[0].allocated;
      expect((await identification('GET', `/cases/${caseId}`)).body.case.persons).toEqual([expect.objectContaining({ personId, steps: [{ step: 'document-check', result: 'supports' }] })]);
      const again = await identification('POST', '/events', { events: [stepFact] }, 200);
      expect(again.body.results[0]).toMatchObject({ status: 'duplicate', caseId, allocated: { personId } });
    });
  });

  it('serves its OpenAPI document with its routes', async () => {
    const document = await backbone.app.inject({ method: 'GET', url: '/v1/identification/openapi.json' });
    expect(document.statusCode).toBe(200);
    const paths = Object.keys(document.json().paths);
    expect(paths).toEqual(expect.arrayContaining(['/v1/identification/cases/{caseId}/verification-steps', '/v1/identification/cases/{caseId}/identified-victims', '/v1/identification/cases/{caseId}/not-identified-persons', '/v1/identification/cases/{caseId}/referrals']));
    expect(paths).not.toContain('/v1/identification/cases/{caseId}/person-referrals');
    expect(paths.every((path: string) => path.startsWith('/v1/identification/'))).toBe(true);
  });
});

describe('reading personal data back (who looked)', () => {
  it('returns the plaintext only after recording who read which fields and why', async () => {
    const { caseId, personId } = await caseWithPresumedVictim();
    await identification('POST', `/cases/${caseId}/identified-victims`, { personId, ...victim });
    const url = `/cases/${caseId}/persons/${personId}/personal-data`;
    const stream = `identification-case-${caseId}`;
    const accessEvents = async () => (await backbone.store.readStream(stream)).filter((event) => event.type === 'identification.PersonalDataAccessed');

    // No purpose, another agency, an unknown person: refused, nothing recorded.
    expect((await backbone.call('identification', 'GET', `/v1/identification${url}`)).status).toBe(400);
    expect((await backbone.call('intake', 'GET', `/v1/identification${url}?purpose=${encodeURIComponent('curious')}`)).status).toBe(403);
    expect((await backbone.call('identification', 'GET', `/v1/identification/cases/${caseId}/persons/${newId()}/personal-data?purpose=interview`)).status).toBe(404);
    expect(await accessEvents()).toEqual([]);

    const purpose = 'Preparing the rescue handover: confirm identity with the family';
    const read = await identification('GET', `${url}?purpose=${encodeURIComponent(purpose)}&fields=person.fullName,person.phone`);
    expect(read.body.fields.map((field: { path: string; value: unknown }) => [field.path, field.value])).toEqual([
      ['person.fullName', 'Phạm Thị Lan'],
      ['person.phone', '+84 912 000 111'],
    ]);
    const [access, ...more] = await accessEvents();
    expect(more).toEqual([]);
    expect(access!.id).toBe(read.body.accessEventId);
    expect(access!.actor).toMatch(/identification/);
    expect(access!.data).toMatchObject({ personId, purpose, fields: [{ path: 'person.fullName' }, { path: 'person.phone' }] });
    // The access event records what was read, never the plaintext.
    expect(JSON.stringify(access)).not.toContain('Phạm Thị Lan');

    // Every field of the person (the step's note too) when none are named.
    const all = await identification('GET', `${url}?purpose=${encodeURIComponent('Court order 12/2026: full record')}`);
    expect(all.body.fields.map((field: { path: string }) => field.path)).toEqual(expect.arrayContaining(['note', 'person.fullName', 'person.dateOfBirth', 'person.idNumber', 'person.address', 'person.phone']));
    expect(await accessEvents()).toHaveLength(2);

    // Erased (crypto-shredded): gone for good, and the failed read records nothing.
    await backbone.vault.erase(personId);
    const gone = await backbone.call('identification', 'GET', `/v1/identification${url}?purpose=${encodeURIComponent('Follow-up interview')}`);
    expect(gone.status).toBe(410);
    expect(gone.body.type).toMatch(/person-erased/);
    expect(await accessEvents()).toHaveLength(2);
  });
});
