// Protection over HTTP on a real embedded backbone: a person referred by intake (no person named)
// or by rescue (person named) is taken through protection up to the referral to reintegration;
// personal data never reaches the store in clear; every bad input is refused with problem+json
// naming the field or the rule, and nothing is written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventRegistry, newId } from '@nrm/contracts';
import { createCaseRuntime } from '@nrm/agency-kit';
import { eventually, startAgencyTestApp } from '@nrm/agency-kit/testing';
import type { AgencyTestApp } from '@nrm/agency-kit/testing';
import type { Command } from '@nrm/service-kit';
import { intakeService } from '@nrm/intake';
import { protectionService } from './index.ts';

let backbone: AgencyTestApp;
beforeAll(async () => {
  backbone = await startAgencyTestApp([intakeService, protectionService]);
});
afterAll(async () => backbone?.close());

const call = (method: 'GET' | 'POST', url: string, body?: unknown, headers?: Record<string, string>) => backbone.call('protection', method, `/v1/protection${url}`, body, headers);

async function ok(method: 'GET' | 'POST', url: string, body: unknown, status = 200, headers?: Record<string, string>) {
  const response = await call(method, url, body, headers);
  expect(response.status, `${url}: ${JSON.stringify(response.body)}`).toBe(status);
  return response;
}

async function refused(method: 'GET' | 'POST', url: string, body: unknown, status: number, headers?: Record<string, string>) {
  const before = await backbone.store.headPosition();
  const response = await call(method, url, body, headers);
  expect(response.status, `${url}: ${JSON.stringify(response.body)}`).toBe(status);
  expect(String(response.headers['content-type'])).toMatch(/^application\/problem\+json/);
  expect(await backbone.store.headPosition()).toBe(before);
  return response.body;
}

async function protectionEvents(caseId: string) {
  return backbone.store.readStream(`protection-case-${caseId}`);
}

/** Waits until protection filed a referral addressed to it in the case (a reaction on the bus). */
async function filed(caseId: string, referralId: string) {
  await eventually(async () => {
    const events = await protectionEvents(caseId);
    expect(events.some((event) => event.type === 'protection.ReferralReceived' && (event.data as { referralId: string }).referralId === referralId)).toBe(true);
  });
}

/** Intake receives a tip, classifies it and refers it to protection: the referral names no one. */
async function referFromIntake() {
  const tip = await backbone.call('intake', 'POST', '/v1/intake/tips', {
    channel: 'hotline-111',
    province: 'Tây Ninh',
    allegedPlace: { country: 'KH' },
    peopleCount: 1,
    minorCount: 1,
    statement: 'A girl came back through the Mộc Bài gate and needs a safe place.',
  });
  expect(tip.status, JSON.stringify(tip.body)).toBe(201);
  const caseId = tip.body.caseId as string;
  expect((await backbone.call('intake', 'POST', `/v1/intake/cases/${caseId}/classification`, { tipId: caseId, classification: 'suspected-trafficking', riskLevel: 'high' })).status).toBe(200);
  const referred = await backbone.call('intake', 'POST', `/v1/intake/cases/${caseId}/referrals`, { to: 'protection', kind: 'protection', priority: 'urgent', involvesChild: true, summary: 'A child returned from Cambodia needs shelter.' });
  expect(referred.status, JSON.stringify(referred.body)).toBe(201);
  const issued = (await backbone.store.readStream(`intake-case-${caseId}`)).find((event) => event.type === 'intake.ReferralIssued')!;
  const referralId = (issued.data as { referralId: string }).referralId;
  await filed(caseId, referralId);
  return { caseId, referralId, issuedEventId: issued.id };
}

/**
 * Rescue's side of a referral that names the person, written the way the rescue service writes
 * it: agency-kit's shared referral slice on rescue's own case stream. Protection's inbox picks it
 * up from the store like any other agency's referral.
 */
async function referFromRescue(personId: string) {
  const rescue = createCaseRuntime<Command, null>('rescue', { initialState: () => null, evolve: (state) => state, decide: () => [] }, { store: backbone.store, registry: eventRegistry });
  const caseId = newId();
  const referralId = newId();
  const now = new Date().toISOString();
  await rescue.execute(
    caseId,
    'IssueReferral',
    { referralId, to: 'protection', kind: 'protection', priority: 'urgent', involvesChild: false, personId, summary: 'A woman recovered from a compound across the border.', acceptBy: new Date(Date.now() + 6 * 3_600_000).toISOString() },
    { commandId: newId(), now, actor: 'rescue-officer', agency: 'rescue', caseId, causationId: null, traceparent: null },
  );
  await filed(caseId, referralId);
  return { caseId, referralId };
}

/** A case referred by intake, accepted and opened for a new person. */
async function openedCase() {
  const { caseId, referralId } = await referFromIntake();
  const personId = newId();
  await ok('POST', `/cases/${caseId}/referrals/${referralId}/accept`, { note: 'a place at the Tây Ninh centre' });
  await ok('POST', `/cases/${caseId}/opening`, { personId, referralId, province: 'Tây Ninh', child: true });
  return { caseId, referralId, personId };
}

const admission = (personId: string) => ({ personId, shelter: 'TN-SPC-01', shelterKind: 'social-protection-centre', province: 'Tây Ninh' });

describe('protection over HTTP', () => {
  it('takes a person referred by intake from acceptance to a referral to reintegration', async () => {
    const { caseId, referralId, issuedEventId } = await referFromIntake();
    const personId = newId();
    const accepted = await ok('POST', `/cases/${caseId}/referrals/${referralId}/accept`, {});
    const acceptance = (await protectionEvents(caseId)).find((event) => event.type === 'protection.ReferralAccepted')!;
    expect(acceptance.causationId).toBe(issuedEventId);

    const opening = await ok('POST', `/cases/${caseId}/opening`, { personId, referralId, province: 'Tây Ninh', child: true }, 200, { 'if-match': String(accepted.headers.etag) });
    expect(opening.body.events.map((event: { type: string }) => event.type)).toEqual(['protection.ProtectionCaseOpened']);
    await ok('POST', `/cases/${caseId}/consents`, { personId, scopes: ['data-sharing', 'reintegration'], givenBy: 'parent-or-guardian', form: 'written', document: 'Signed form in the Tây Ninh centre safe, folder 12' }, 201);
    await ok('POST', `/cases/${caseId}/consents`, { personId, scopes: ['handover'], givenBy: 'parent-or-guardian', form: 'oral-witnessed' }, 201);
    await ok('POST', `/cases/${caseId}/shelter-admissions`, admission(personId), 201);
    await ok('POST', `/cases/${caseId}/safety-measures`, { personId, measure: 'identity-confidentiality', note: 'The recruiter knows her mother’s address' }, 201);
    await ok('POST', `/cases/${caseId}/initial-support`, { personId, kinds: ['food', 'clothing', 'medical'], province: 'Tây Ninh' }, 201);
    await ok('POST', `/cases/${caseId}/initial-support`, { personId, kinds: ['travel-allowance'], amountVnd: 500_000, province: 'Tây Ninh' }, 201);
    await ok('POST', `/cases/${caseId}/shelter-discharges`, { personId, shelter: 'TN-SPC-01', reason: 'returned-home' }, 201);

    let view = await ok('GET', `/cases/${caseId}`, undefined);
    const [first, second] = view.body.case.consents;
    expect(view.body.case.consentInForce).toEqual({
      'data-sharing': { consentId: first.consentId, givenBy: 'parent-or-guardian', form: 'written' },
      handover: { consentId: second.consentId, givenBy: 'parent-or-guardian', form: 'oral-witnessed' },
      reintegration: { consentId: first.consentId, givenBy: 'parent-or-guardian', form: 'written' },
    });
    await ok('POST', `/cases/${caseId}/consent-withdrawals`, { personId, consentId: second.consentId, scopes: ['handover'], note: 'Her mother does not want her data abroad' }, 201);

    const referral = await ok('POST', `/cases/${caseId}/referrals`, { to: 'reintegration', kind: 'reintegration', priority: 'normal', involvesChild: true, personId, summary: 'Ready to reintegrate at home.' }, 201);
    const issued = (await protectionEvents(caseId)).find((event) => event.id === referral.body.events[0].id)!;
    expect(issued).toMatchObject({ type: 'protection.ReferralIssued', caseId, data: { to: 'reintegration', kind: 'reintegration', personId } });

    view = await ok('GET', `/cases/${caseId}`, undefined);
    expect(view.headers.etag).toBe(`"${view.body.revision}"`);
    expect(view.body.case).toMatchObject({
      personId,
      referralId,
      status: 'open',
      province: 'Tây Ninh',
      child: true,
      consentInForce: { handover: null, reintegration: { consentId: first.consentId } },
      consentWithdrawals: [{ consentId: second.consentId, scopes: ['handover'] }],
      inShelter: false,
      shelterStays: [{ shelter: 'TN-SPC-01', shelterKind: 'social-protection-centre', province: 'Tây Ninh', dischargeReason: 'returned-home' }],
      safetyMeasures: [{ measure: 'identity-confidentiality' }],
      initialSupport: [{ kinds: ['food', 'clothing', 'medical'], province: 'Tây Ninh' }, { kinds: ['travel-allowance'], amountVnd: 500_000, province: 'Tây Ninh' }],
    });
    expect(view.body.case.personalFields).toEqual(['consents.0.document', 'consentWithdrawals.0.note', 'safetyMeasures.0.note']);
    expect(view.body.referrals).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ referralId, direction: 'incoming', counterpart: 'intake', status: 'accepted' }),
        expect.objectContaining({ direction: 'outgoing', counterpart: 'reintegration', personId, status: 'issued' }),
      ]),
    );

    // Completing the referral the case was opened from closes it: nothing new is given after.
    await ok('POST', `/cases/${caseId}/referrals/${referralId}/complete`, { outcome: 'protected and referred to reintegration' });
    expect((await ok('GET', `/cases/${caseId}`, undefined)).body.case.status).toBe('closed');
    expect((await refused('POST', `/cases/${caseId}/initial-support`, { personId, kinds: ['food'], province: 'Tây Ninh' }, 409)).rule).toBe('case-closed');
    expect((await refused('POST', `/cases/${caseId}/shelter-admissions`, admission(personId), 409)).rule).toBe('case-closed');
    expect((await refused('POST', `/cases/${caseId}/referrals/${referralId}/complete`, { outcome: 'again' }, 409)).rule).toBe('referral-not-accepted');
  });

  it('opens for the person a referral names, and no one else', async () => {
    const personId = newId();
    const { caseId, referralId } = await referFromRescue(personId);
    await ok('POST', `/cases/${caseId}/referrals/${referralId}/accept`, {});
    expect((await refused('POST', `/cases/${caseId}/opening`, { personId: newId(), referralId, province: 'An Giang', child: false }, 422)).rule).toBe('person-mismatch');
    await ok('POST', `/cases/${caseId}/opening`, { personId, referralId, province: 'An Giang', child: false });
    const view = await ok('GET', `/cases/${caseId}`, undefined);
    expect(view.body.case).toMatchObject({ personId, referralId, status: 'open', consentInForce: { 'data-sharing': null, handover: null, reintegration: null } });
    expect(view.body.referrals[0]).toMatchObject({ counterpart: 'rescue', personId, status: 'accepted' });
  });

  it('keeps the personal data out of the store in plaintext', async () => {
    const { caseId, personId } = await openedCase();
    const secrets = {
      document: 'Signed by Trần Thị Mai, kept at 12 Lê Lợi, Tây Ninh',
      withdrawal: 'Her uncle Phạm Văn Đức (0912 345 678) objected',
      measure: 'Recruiter Lý Văn Tài phones her at 0987 654 321',
    };
    await ok('POST', `/cases/${caseId}/consents`, { personId, scopes: ['data-sharing'], givenBy: 'parent-or-guardian', form: 'written', document: secrets.document }, 201);
    const consentId = (await ok('GET', `/cases/${caseId}`, undefined)).body.case.consents[0].consentId;
    await ok('POST', `/cases/${caseId}/consent-withdrawals`, { personId, consentId, scopes: ['data-sharing'], note: secrets.withdrawal }, 201);
    await ok('POST', `/cases/${caseId}/safety-measures`, { personId, measure: 'no-contact-order', note: secrets.measure }, 201);
    const events = await protectionEvents(caseId);
    const stored = JSON.stringify(events);
    for (const secret of ['Trần Thị Mai', 'Lê Lợi', 'Phạm Văn Đức', '0912 345 678', 'Lý Văn Tài', '0987 654 321']) expect(stored).not.toContain(secret);
    const recorded = events.find((event) => event.type === 'protection.ConsentRecorded')!.data as { document: never };
    const reader = { reader: { actor: 'test', agency: 'protection' as const }, purpose: 'test', subject: personId };
    await expect(backbone.vault.open(recorded.document, { field: 'document', ...reader })).resolves.toBe(secrets.document);
    const measure = events.find((event) => event.type === 'protection.SafetyMeasureTaken')!.data as { note: never };
    await expect(backbone.vault.open(measure.note, { field: 'note', ...reader })).resolves.toBe(secrets.measure);
  });

  describe('refuses bad input with problem+json and writes nothing', () => {
    const personId = newId();
    const routes: { url: string; body: Record<string, unknown>; wrong: [string, unknown]; missing: string }[] = [
      { url: 'opening', body: { personId, referralId: newId(), province: 'Tây Ninh', child: true }, wrong: ['child', 'yes'], missing: 'province' },
      { url: 'consents', body: { personId, scopes: ['reintegration'], givenBy: 'person', form: 'written', document: 'folder 3' }, wrong: ['scopes', 'reintegration'], missing: 'form' },
      { url: 'consent-withdrawals', body: { personId, consentId: newId(), scopes: ['handover'] }, wrong: ['consentId', 42], missing: 'scopes' },
      { url: 'shelter-admissions', body: admission(personId), wrong: ['shelterKind', 'hotel'], missing: 'shelter' },
      { url: 'shelter-discharges', body: { personId, shelter: 'TN-SPC-01', reason: 'returned-home' }, wrong: ['reason', 1], missing: 'personId' },
      { url: 'safety-measures', body: { personId, measure: 'relocation' }, wrong: ['measure', true], missing: 'measure' },
      { url: 'initial-support', body: { personId, kinds: ['food'], province: 'Tây Ninh' }, wrong: ['amountVnd', -5], missing: 'kinds' },
      { url: 'referrals', body: { to: 'reintegration', kind: 'reintegration', priority: 'normal', involvesChild: false, personId, summary: 'x' }, wrong: ['involvesChild', 'no'], missing: 'summary' },
      { url: 'referrals', body: { to: 'reintegration', kind: 'reintegration', priority: 'normal', involvesChild: false, personId, summary: 'x' }, wrong: ['personId', 'Lan'], missing: 'to' },
      { url: `referrals/${newId()}/accept`, body: { note: 'ok' }, wrong: ['note', 5], missing: '' },
    ];

    it('wrong types, unknown fields and missing fields name the field, on every route', async () => {
      const caseId = newId();
      for (const { url, body, wrong, missing } of routes) {
        const path = `/cases/${caseId}/${url}`;
        const [field, value] = wrong;
        expect((await refused('POST', path, { ...body, [field]: value }, 400)).errors, path).toEqual(expect.arrayContaining([expect.objectContaining({ field: expect.stringContaining(`body.${field}`) })]));
        expect(JSON.stringify((await refused('POST', path, { ...body, victimName: 'Lan' }, 400)).errors), path).toMatch(/victimName/);
        if (missing) expect((await refused('POST', path, { ...body, [missing]: undefined }, 400)).errors, path).toEqual(expect.arrayContaining([expect.objectContaining({ field: `body.${missing}` })]));
      }
      expect(JSON.stringify((await refused('POST', `/cases/${caseId}/consents`, { ...routes[1]!.body, scopes: ['handover', 'handover'] }, 400)).errors)).toMatch(/scopes/);
      await refused('POST', '/cases/not-a-ulid/consents', routes[1]!.body, 400);
      await refused('POST', `/cases/${caseId}/consents`, 'not json at all', 400, { 'content-type': 'application/json' });
    });

    it('a case never referred or opened', async () => {
      const never = newId();
      await refused('POST', `/cases/${never}/consents`, { personId, scopes: ['handover'], givenBy: 'person', form: 'written' }, 404);
      await refused('POST', `/cases/${never}/shelter-admissions`, admission(personId), 404);
      await refused('GET', `/cases/${never}`, undefined, 404);
      await refused('POST', `/cases/${never}/referrals/${newId()}/accept`, {}, 404);
      const { caseId, referralId } = await referFromIntake();
      expect((await refused('POST', `/cases/${caseId}/opening`, { personId, referralId, province: 'Tây Ninh', child: true }, 422)).rule).toBe('no-accepted-referral');
      await refused('POST', `/cases/${caseId}/initial-support`, { personId, kinds: ['food'], province: 'Tây Ninh' }, 404);
      await refused('GET', `/cases/${caseId}`, undefined, 404);
    });

    it('domain rules: accept twice, open twice, shelter, consent and the referral to reintegration', async () => {
      const { caseId, referralId, personId: person } = await openedCase();
      expect((await refused('POST', `/cases/${caseId}/referrals/${referralId}/accept`, {}, 409)).rule).toBe('referral-already-answered');
      expect((await refused('POST', `/cases/${caseId}/opening`, { personId: person, referralId, province: 'Tây Ninh', child: true }, 409)).rule).toBe('case-already-open');
      expect((await refused('POST', `/cases/${caseId}/shelter-discharges`, { personId: person, shelter: 'TN-SPC-01', reason: 'returned-home' }, 409)).rule).toBe('not-in-shelter');
      await ok('POST', `/cases/${caseId}/shelter-admissions`, admission(person), 201);
      expect((await refused('POST', `/cases/${caseId}/shelter-admissions`, admission(person), 409)).rule).toBe('already-in-shelter');
      expect((await refused('POST', `/cases/${caseId}/shelter-discharges`, { personId: person, shelter: 'TN-NGO-02', reason: 'returned-home' }, 422)).rule).toBe('shelter-mismatch');
      expect((await refused('POST', `/cases/${caseId}/safety-measures`, { personId: newId(), measure: 'relocation' }, 422)).rule).toBe('person-mismatch');

      const toReintegration = { to: 'reintegration', kind: 'reintegration', priority: 'normal', involvesChild: true, personId: person, summary: 'home to Hà Tĩnh' };
      expect((await refused('POST', `/cases/${caseId}/referrals`, toReintegration, 422)).rule).toBe('no-reintegration-consent');
      await ok('POST', `/cases/${caseId}/consents`, { personId: person, scopes: ['reintegration'], givenBy: 'person', form: 'written' }, 201);
      const { personId: _person, ...anonymous } = toReintegration;
      expect((await refused('POST', `/cases/${caseId}/referrals`, anonymous, 422)).rule).toBe('person-required');
      expect((await refused('POST', `/cases/${caseId}/referrals`, { ...toReintegration, personId: newId() }, 422)).rule).toBe('person-mismatch');

      const consentId = (await ok('GET', `/cases/${caseId}`, undefined)).body.case.consents[0].consentId;
      expect((await refused('POST', `/cases/${caseId}/consent-withdrawals`, { personId: person, consentId: newId(), scopes: ['reintegration'] }, 422)).rule).toBe('consent-unknown');
      await ok('POST', `/cases/${caseId}/consent-withdrawals`, { personId: person, consentId, scopes: ['reintegration'] }, 201);
      expect((await refused('POST', `/cases/${caseId}/consent-withdrawals`, { personId: person, consentId, scopes: ['reintegration'] }, 409)).rule).toBe('consent-not-in-force');
      expect((await refused('POST', `/cases/${caseId}/referrals`, toReintegration, 422)).rule).toBe('no-reintegration-consent');
    });

    it('a stale If-Match is a 412', async () => {
      const { caseId, personId: person } = await openedCase();
      await refused('POST', `/cases/${caseId}/safety-measures`, { personId: person, measure: 'safe-escort' }, 412, { 'if-match': '"1"' });
    });

    it('another agency cannot write protection events or read its cases', async () => {
      const { caseId, personId: person } = await openedCase();
      const before = await backbone.store.headPosition();
      const response = await backbone.app.inject({ method: 'POST', url: `/v1/protection/cases/${caseId}/shelter-admissions`, headers: { authorization: `Bearer ${await backbone.token('reintegration')}` }, payload: admission(person) });
      expect(response.statusCode).toBe(403);
      expect(await backbone.store.headPosition()).toBe(before);
      expect((await backbone.call('reintegration', 'GET', `/v1/protection/cases/${caseId}`)).status).toBe(404);
    });
  });

  describe('ingestion endpoint', () => {
    it('records protection facts, and answers another agency’s event and bad facts as rejected without writing', async () => {
      const { caseId, personId } = await openedCase();
      const factId = newId();
      const before = await backbone.store.headPosition();
      const answer = await ok('POST', '/events', {
        events: [
          { id: newId(), type: 'intake.TipReceived', caseId, data: { channel: 'hotline-111' } },
          { id: newId(), type: 'reintegration.ReintegrationPlanAgreed', caseId, data: { personId, province: 'Tây Ninh', supports: ['education'], agreedWith: 'person' } },
          { id: newId(), type: 'protection.ShelterAdmitted', caseId, data: { ...admission(personId), shelterKind: 'hotel' } },
          { id: newId(), type: 'protection.ShelterDischarged', caseId, data: { personId, shelter: 'TN-SPC-01', reason: 'returned-home' } },
          { id: newId(), type: 'protection.ShelterAdmitted', data: admission(personId) },
          { id: newId(), type: 'protection.CaseTeleported', caseId, data: {} },
        ],
      });
      expect(answer.body.results.map((result: { rule?: string; status: string }) => result.rule ?? result.status)).toEqual(['foreign-event-type', 'foreign-event-type', 'invalid-payload', 'not-in-shelter', 'case-required', 'unknown-event-type']);
      expect(await backbone.store.headPosition()).toBe(before);

      const fact = { id: factId, type: 'protection.ShelterAdmitted', caseId, data: admission(personId) };
      expect((await ok('POST', '/events', { events: [fact] })).body.results[0]).toMatchObject({ status: 'accepted', caseId });
      expect((await ok('POST', '/events', { events: [fact] })).body.results[0]).toMatchObject({ status: 'duplicate', caseId });
      expect((await protectionEvents(caseId)).filter((event) => event.type === 'protection.ShelterAdmitted')).toHaveLength(1);
    });
  });

  it('serves its routes in its OpenAPI document', async () => {
    const document = await backbone.app.inject({ method: 'GET', url: '/v1/protection/openapi.json' });
    expect(document.statusCode).toBe(200);
    expect(Object.keys(document.json().paths)).toEqual(
      expect.arrayContaining(['/v1/protection/cases/{caseId}/opening', '/v1/protection/cases/{caseId}/consents', '/v1/protection/cases/{caseId}/referrals', '/v1/protection/cases/{caseId}']),
    );
    expect(Object.keys(document.json().paths)).not.toContain('/v1/protection/cases/{caseId}/person-referrals');
  });
});
