// Reintegration over HTTP on a real embedded backbone with intake and protection: a tip becomes
// a referral to protection, protection takes the person in and refers them on (with their
// consent and their personId), and reintegration accepts, plans, supports, follows up and
// closes. Personal data never reaches the store in clear; every bad input is refused with
// problem+json naming the field or the rule, and nothing is written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '@nrm/contracts';
import { eventually, startAgencyTestApp } from '@nrm/agency-kit/testing';
import type { AgencyTestApp } from '@nrm/agency-kit/testing';
import type { Agency } from '@nrm/contracts';
import { intakeService } from '@nrm/intake';
import { protectionService } from '@nrm/protection';
import { reintegrationService } from './index.ts';

let backbone: AgencyTestApp;
beforeAll(async () => {
  backbone = await startAgencyTestApp([intakeService, protectionService, reintegrationService]);
});
afterAll(async () => backbone?.close());

async function ok(agency: Agency, url: string, body?: unknown, status = 200, headers?: Record<string, string>) {
  const response = await backbone.call(agency, body === undefined ? 'GET' : 'POST', `/v1/${agency}${url}`, body, headers);
  expect(response.status, `${agency} ${url}: ${JSON.stringify(response.body)}`).toBe(status);
  return response;
}

async function refused(method: 'GET' | 'POST', url: string, body: unknown, status: number, headers?: Record<string, string>) {
  const before = await backbone.store.headPosition();
  const response = await backbone.call('reintegration', method, `/v1/reintegration${url}`, body, headers);
  expect(response.status, `${url}: ${JSON.stringify(response.body)}`).toBe(status);
  expect(String(response.headers['content-type'])).toMatch(/^application\/problem\+json/);
  expect(await backbone.store.headPosition()).toBe(before);
  return response.body;
}

const streamOf = (agency: Agency, caseId: string) => backbone.store.readStream(`${agency}-case-${caseId}`);

/** The referral `agency` issued in the case, once the receiver has filed it (a reaction on the bus). */
async function issuedAndFiled(from: Agency, to: Agency, caseId: string) {
  const issued = (await streamOf(from, caseId)).filter((event) => event.type === `${from}.ReferralIssued` && (event.data as { to: string }).to === to).at(-1)!;
  const referralId = (issued.data as { referralId: string }).referralId;
  await eventually(async () => {
    const filed = (await streamOf(to, caseId)).some((event) => event.type === `${to}.ReferralReceived` && (event.data as { referralId: string }).referralId === referralId);
    expect(filed, `${to} filed ${referralId}`).toBe(true);
  });
  return { referralId, issuedEventId: issued.id };
}

/** Intake receives and classifies a tip and refers it to `to`. */
async function tipReferredTo(to: 'protection' | 'reintegration') {
  const tip = await ok('intake', '/tips', { channel: 'hotline-111', province: 'Hà Tĩnh', allegedPlace: { country: 'CN' }, peopleCount: 1, statement: 'My niece came back from Hekou last week.' }, 201);
  const caseId = tip.body.caseId as string;
  await ok('intake', `/cases/${caseId}/classification`, { tipId: caseId, classification: 'suspected-trafficking', riskLevel: 'medium' });
  await ok('intake', `/cases/${caseId}/referrals`, { to, kind: to, priority: 'normal', involvesChild: false, summary: 'A woman returned from China needs support.' }, 201);
  return { caseId, ...(await issuedAndFiled('intake', to, caseId)) };
}

/** The chain up to reintegration: intake → protection (accepted, opened, consent, shelter, support) → a referral to reintegration naming the person. */
async function referredByProtection() {
  const { caseId, referralId: fromIntake } = await tipReferredTo('protection');
  const personId = newId();
  await ok('protection', `/cases/${caseId}/referrals/${fromIntake}/accept`, {});
  await ok('protection', `/cases/${caseId}/opening`, { personId, referralId: fromIntake, province: 'Hà Tĩnh', child: false });
  await ok('protection', `/cases/${caseId}/consents`, { personId, scopes: ['reintegration', 'data-sharing'], givenBy: 'person', form: 'written' }, 201);
  await ok('protection', `/cases/${caseId}/shelter-admissions`, { personId, shelter: 'HT-SPC-01', shelterKind: 'social-protection-centre', province: 'Hà Tĩnh' }, 201);
  await ok('protection', `/cases/${caseId}/initial-support`, { personId, kinds: ['medical', 'psychological'], province: 'Hà Tĩnh' }, 201);
  await ok('protection', `/cases/${caseId}/shelter-discharges`, { personId, shelter: 'HT-SPC-01', reason: 'returned-home' }, 201);
  await ok('protection', `/cases/${caseId}/referrals`, { to: 'reintegration', kind: 'reintegration', priority: 'normal', involvesChild: false, personId, summary: 'Back home in Hà Tĩnh; wants vocational training.' }, 201);
  const { referralId, issuedEventId } = await issuedAndFiled('protection', 'reintegration', caseId);
  return { caseId, personId, referralId, issuedEventId, fromIntake };
}

/** A reintegration case accepted and with a plan for vocational training and psychosocial support. */
async function plannedCase() {
  const chain = await referredByProtection();
  await ok('reintegration', `/cases/${chain.caseId}/referrals/${chain.referralId}/accept`, {});
  await ok('reintegration', `/cases/${chain.caseId}/plans`, { personId: chain.personId, province: 'Hà Tĩnh', supports: ['vocational-training', 'psychosocial'], agreedWith: 'person' }, 201);
  return chain;
}

describe('reintegration over HTTP', () => {
  it('follows a person from a tip through protection to a closed reintegration case', async () => {
    const { caseId, personId, referralId, issuedEventId, fromIntake } = await referredByProtection();
    const inbox = await eventually(async () => {
      const items = (await ok('reintegration', '/inbox')).body.items as { referralId: string }[];
      const entry = items.find((item) => item.referralId === referralId);
      expect(entry).toBeDefined();
      return entry!;
    });
    expect(inbox).toMatchObject({ caseId, from: 'protection', personId, status: 'received' });

    const accepted = await ok('reintegration', `/cases/${caseId}/referrals/${referralId}/accept`, { note: 'the district office takes it' });
    expect((await streamOf('reintegration', caseId)).find((event) => event.type === 'reintegration.ReferralAccepted')!.causationId).toBe(issuedEventId);
    await ok('reintegration', `/cases/${caseId}/plans`, { personId, province: 'Hà Tĩnh', supports: ['vocational-training', 'cash-allowance', 'psychosocial'], agreedWith: 'person', reviewBy: '2027-06-01' }, 201, { 'if-match': String(accepted.headers.etag) });
    await ok('reintegration', `/cases/${caseId}/support-deliveries`, { personId, kind: 'vocational-training', provider: 'womens-union', province: 'Hà Tĩnh' }, 201);
    await ok('reintegration', `/cases/${caseId}/support-deliveries`, { personId, kind: 'cash-allowance', provider: 'state', amountVnd: 1_500_000, province: 'Hà Tĩnh' }, 201);
    await ok('reintegration', `/cases/${caseId}/follow-up-visits`, { personId, mode: 'home-visit', wellbeing: 'improving', note: 'Sewing course going well' }, 201);
    await ok('reintegration', `/cases/${caseId}/follow-up-visits`, { personId, mode: 'phone', wellbeing: 'stable' }, 201);

    let view = await ok('reintegration', `/cases/${caseId}`);
    expect(view.body.case).toMatchObject({
      personId,
      referralId,
      status: 'open',
      plan: { province: 'Hà Tĩnh', supports: ['vocational-training', 'cash-allowance', 'psychosocial'], agreedWith: 'person', reviewBy: '2027-06-01' },
      plansAgreed: 1,
      supportDelivered: [
        { kind: 'vocational-training', provider: 'womens-union', province: 'Hà Tĩnh' },
        { kind: 'cash-allowance', provider: 'state', amountVnd: 1_500_000, province: 'Hà Tĩnh' },
      ],
      followUps: [{ mode: 'home-visit', wellbeing: 'improving' }, { mode: 'phone', wellbeing: 'stable' }],
      personalFields: ['followUps.0.note'],
    });

    await ok('reintegration', `/cases/${caseId}/closure`, { personId, outcome: 'reintegrated', note: 'Working at a garment workshop in the district' });
    await ok('reintegration', `/cases/${caseId}/referrals/${referralId}/complete`, { outcome: 'reintegrated' });
    view = await ok('reintegration', `/cases/${caseId}`);
    expect(view.body.case).toMatchObject({ status: 'closed', closure: { outcome: 'reintegrated' }, personalFields: ['followUps.0.note', 'closure.note'] });
    expect(view.body.referrals).toEqual([expect.objectContaining({ referralId, direction: 'incoming', counterpart: 'protection', personId, status: 'completed' })]);

    // Protection reports its own referral done, which closes the protection case.
    await ok('protection', `/cases/${caseId}/referrals/${fromIntake}/complete`, { outcome: 'protected and referred to reintegration' });
    expect((await ok('protection', `/cases/${caseId}`)).body.case.status).toBe('closed');

    // One case id ties the chain together across the three agencies' streams.
    for (const agency of ['intake', 'protection', 'reintegration'] as const) expect((await streamOf(agency, caseId)).every((event) => event.caseId === caseId)).toBe(true);
  });

  it('keeps the personal data out of the store in plaintext', async () => {
    const { caseId, personId } = await plannedCase();
    const visitNote = 'Her former boss Đỗ Văn Hải called her at 0903 111 222';
    const closingNote = 'Moved to her aunt Vũ Thị Hoa at 45 Trần Phú, Vinh';
    await ok('reintegration', `/cases/${caseId}/follow-up-visits`, { personId, mode: 'home-visit', wellbeing: 'at-risk', note: visitNote }, 201);
    await ok('reintegration', `/cases/${caseId}/closure`, { personId, outcome: 'moved-away', note: closingNote });
    const events = await streamOf('reintegration', caseId);
    const stored = JSON.stringify(events);
    for (const secret of ['Đỗ Văn Hải', '0903 111 222', 'Vũ Thị Hoa', 'Trần Phú']) expect(stored).not.toContain(secret);
    const reader = { field: 'note', reader: { actor: 'test', agency: 'reintegration' as const }, purpose: 'test', subject: personId };
    const visit = events.find((event) => event.type === 'reintegration.FollowUpVisitMade')!.data as { note: never };
    await expect(backbone.vault.open(visit.note, reader)).resolves.toBe(visitNote);
    const closed = events.find((event) => event.type === 'reintegration.ReintegrationCaseClosed')!.data as { note: never };
    await expect(backbone.vault.open(closed.note, reader)).resolves.toBe(closingNote);
  });

  describe('refuses bad input with problem+json and writes nothing', () => {
    const personId = newId();
    const routes: { url: string; body: Record<string, unknown>; wrong: [string, unknown]; missing: string }[] = [
      { url: 'plans', body: { personId, province: 'Hà Tĩnh', supports: ['education'], agreedWith: 'person' }, wrong: ['supports', 'education'], missing: 'agreedWith' },
      { url: 'support-deliveries', body: { personId, kind: 'education', provider: 'state', province: 'Hà Tĩnh' }, wrong: ['amountVnd', 'a lot'], missing: 'provider' },
      { url: 'follow-up-visits', body: { personId, mode: 'phone', wellbeing: 'stable' }, wrong: ['wellbeing', 'fine'], missing: 'mode' },
      { url: 'closure', body: { personId, outcome: 'reintegrated' }, wrong: ['outcome', 3], missing: 'personId' },
      { url: `referrals/${newId()}/decline`, body: { reason: 'no-capacity' }, wrong: ['reason', 'busy'], missing: 'reason' },
    ];

    it('wrong types, unknown fields and missing fields name the field, on every route', async () => {
      const caseId = newId();
      for (const { url, body, wrong, missing } of routes) {
        const path = `/cases/${caseId}/${url}`;
        const [field, value] = wrong;
        expect((await refused('POST', path, { ...body, [field]: value }, 400)).errors, path).toEqual(expect.arrayContaining([expect.objectContaining({ field: expect.stringContaining(`body.${field}`) })]));
        expect(JSON.stringify((await refused('POST', path, { ...body, victimName: 'Hoa' }, 400)).errors), path).toMatch(/victimName/);
        expect((await refused('POST', path, { ...body, [missing]: undefined }, 400)).errors, path).toEqual(expect.arrayContaining([expect.objectContaining({ field: `body.${missing}` })]));
      }
      expect(JSON.stringify((await refused('POST', `/cases/${caseId}/plans`, { ...routes[0]!.body, supports: ['education', 'education'] }, 400)).errors)).toMatch(/supports/);
      expect(JSON.stringify((await refused('POST', `/cases/${caseId}/plans`, { ...routes[0]!.body, reviewBy: '2027-02-30' }, 400)).errors)).toMatch(/reviewBy/);
      await refused('POST', '/cases/not-a-ulid/plans', routes[0]!.body, 400);
    });

    it('a case never referred, a referral not accepted, and one that names no person', async () => {
      const never = newId();
      await refused('POST', `/cases/${never}/plans`, routes[0]!.body, 404);
      await refused('POST', `/cases/${never}/closure`, { personId, outcome: 'reintegrated' }, 404);
      await refused('GET', `/cases/${never}`, undefined, 404);
      const { caseId, referralId } = await tipReferredTo('reintegration');
      expect((await refused('POST', `/cases/${caseId}/plans`, routes[0]!.body, 422)).rule).toBe('no-accepted-referral');
      await ok('reintegration', `/cases/${caseId}/referrals/${referralId}/accept`, {});
      expect((await refused('POST', `/cases/${caseId}/plans`, routes[0]!.body, 422)).rule).toBe('referral-without-person');
      expect((await refused('POST', `/cases/${caseId}/follow-up-visits`, routes[2]!.body, 422)).rule).toBe('referral-without-person');
      await refused('GET', `/cases/${caseId}`, undefined, 404);
    });

    it('domain rules: accept twice, support before or outside the plan, another person, close twice', async () => {
      const { caseId, personId: person, referralId } = await referredByProtection();
      await ok('reintegration', `/cases/${caseId}/referrals/${referralId}/accept`, {});
      expect((await refused('POST', `/cases/${caseId}/referrals/${referralId}/accept`, {}, 409)).rule).toBe('referral-already-answered');
      const training = { personId: person, kind: 'vocational-training', provider: 'ngo', province: 'Hà Tĩnh' };
      expect((await refused('POST', `/cases/${caseId}/support-deliveries`, training, 422)).rule).toBe('no-plan');
      await ok('reintegration', `/cases/${caseId}/plans`, { personId: person, province: 'Hà Tĩnh', supports: ['psychosocial'], agreedWith: 'person' }, 201);
      expect((await refused('POST', `/cases/${caseId}/support-deliveries`, training, 422)).rule).toBe('support-not-planned');
      expect((await refused('POST', `/cases/${caseId}/follow-up-visits`, { personId: newId(), mode: 'phone', wellbeing: 'stable' }, 422)).rule).toBe('person-mismatch');
      await ok('reintegration', `/cases/${caseId}/closure`, { personId: person, outcome: 'declined-further-support' });
      expect((await refused('POST', `/cases/${caseId}/closure`, { personId: person, outcome: 'reintegrated' }, 409)).rule).toBe('case-closed');
      expect((await refused('POST', `/cases/${caseId}/follow-up-visits`, { personId: person, mode: 'phone', wellbeing: 'stable' }, 409)).rule).toBe('case-closed');
      expect((await refused('POST', `/cases/${caseId}/plans`, { personId: person, province: 'Hà Tĩnh', supports: ['education'], agreedWith: 'person' }, 409)).rule).toBe('case-closed');
    });

    it('a stale If-Match is a 412', async () => {
      const { caseId, personId: person } = await plannedCase();
      await refused('POST', `/cases/${caseId}/follow-up-visits`, { personId: person, mode: 'phone', wellbeing: 'stable' }, 412, { 'if-match': '"0"' });
    });

    it('another agency cannot write reintegration events', async () => {
      const { caseId, personId: person } = await plannedCase();
      const before = await backbone.store.headPosition();
      const response = await backbone.app.inject({ method: 'POST', url: `/v1/reintegration/cases/${caseId}/closure`, headers: { authorization: `Bearer ${await backbone.token('protection')}` }, payload: { personId: person, outcome: 'reintegrated' } });
      expect(response.statusCode).toBe(403);
      expect(await backbone.store.headPosition()).toBe(before);
    });
  });

  describe('ingestion endpoint', () => {
    it('records reintegration facts once, and answers another agency’s event and bad facts as rejected without writing', async () => {
      const { caseId, personId } = await plannedCase();
      const before = await backbone.store.headPosition();
      const answer = await ok('reintegration', '/events', {
        events: [
          { id: newId(), type: 'protection.ShelterAdmitted', caseId, data: { personId, shelter: 'HT-SPC-01', shelterKind: 'ngo-shelter', province: 'Hà Tĩnh' } },
          { id: newId(), type: 'reintegration.FollowUpVisitMade', caseId, data: { personId, mode: 'carrier-pigeon', wellbeing: 'stable' } },
          { id: newId(), type: 'reintegration.ReintegrationSupportDelivered', caseId, data: { personId, kind: 'education', provider: 'state', province: 'Hà Tĩnh' } },
          { id: newId(), type: 'reintegration.ReintegrationCaseClosed', caseId: newId(), data: { personId, outcome: 'reintegrated' } },
        ],
      });
      expect(answer.body.results.map((result: { rule?: string; status: string }) => result.rule ?? result.status)).toEqual(['foreign-event-type', 'invalid-payload', 'support-not-planned', 'not-found']);
      expect(await backbone.store.headPosition()).toBe(before);

      const fact = { id: newId(), type: 'reintegration.FollowUpVisitMade', caseId, data: { personId, mode: 'office-visit', wellbeing: 'improving', note: 'Came with her sister' } };
      expect((await ok('reintegration', '/events', { events: [fact] })).body.results[0]).toMatchObject({ status: 'accepted', caseId });
      expect((await ok('reintegration', '/events', { events: [fact] })).body.results[0]).toMatchObject({ status: 'duplicate', caseId });
      const visits = (await streamOf('reintegration', caseId)).filter((event) => event.type === 'reintegration.FollowUpVisitMade');
      expect(visits).toHaveLength(1);
      expect(JSON.stringify(visits)).not.toContain('her sister');
    });
  });

  it('serves its routes in its OpenAPI document', async () => {
    const document = await backbone.app.inject({ method: 'GET', url: '/v1/reintegration/openapi.json' });
    expect(document.statusCode).toBe(200);
    expect(Object.keys(document.json().paths)).toEqual(
      expect.arrayContaining(['/v1/reintegration/cases/{caseId}/plans', '/v1/reintegration/cases/{caseId}/support-deliveries', '/v1/reintegration/cases/{caseId}/follow-up-visits', '/v1/reintegration/cases/{caseId}/closure']),
    );
  });
});
