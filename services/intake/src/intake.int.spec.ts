// Intake over HTTP on a real embedded backbone: the tip's life, and every bad input refused with
// a problem+json naming the field or the rule, with nothing written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '@nrm/contracts';
import { startAgencyTestApp } from '@nrm/agency-kit/testing';
import type { AgencyTestApp } from '@nrm/agency-kit/testing';
import { intakeService } from './index.ts';

let backbone: AgencyTestApp;
beforeAll(async () => {
  backbone = await startAgencyTestApp([intakeService]);
});
afterAll(async () => backbone?.close());

const tip = {
  channel: 'hotline-111',
  province: 'Lào Cai',
  allegedPlace: { country: 'CN', locality: 'a karaoke bar across the Hekou gate' },
  peopleCount: 2,
  minorCount: 1,
  statement: 'My sister Nguyễn Thị Lan (phone 0912 345 678) was taken across the border.',
  reporter: { fullName: 'Nguyễn Văn Hùng', phone: '0987654321' },
};

async function receiveTip() {
  const response = await backbone.call('intake', 'POST', '/v1/intake/tips', tip);
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body.caseId as string;
}

async function refused(method: 'GET' | 'POST', url: string, body: unknown, status: number, headers?: Record<string, string>) {
  const before = await backbone.store.headPosition();
  const response = await backbone.call('intake', method, url, body, headers);
  expect(response.status, JSON.stringify(response.body)).toBe(status);
  expect(String(response.headers['content-type'])).toMatch(/^application\/problem\+json/);
  expect(await backbone.store.headPosition()).toBe(before);
  return response.body;
}

describe('intake over HTTP', () => {
  it('receives, classifies, refers and closes a tip, with the revision as ETag', async () => {
    const caseId = await receiveTip();
    const classified = await backbone.call('intake', 'POST', `/v1/intake/cases/${caseId}/classification`, { tipId: caseId, classification: 'suspected-trafficking', riskLevel: 'high' }, { 'if-match': '"0"' });
    expect(classified.status).toBe(200);
    expect(classified.headers.etag).toBe('"1"');
    const referred = await backbone.call('intake', 'POST', `/v1/intake/cases/${caseId}/referrals`, { to: 'identification', kind: 'verification', priority: 'urgent', involvesChild: true, summary: 'Two people, one minor, reported held in Hekou.' });
    expect(referred.status).toBe(201);
    const view = await backbone.call('intake', 'GET', `/v1/intake/cases/${caseId}`);
    expect(view.status).toBe(200);
    expect(view.body.case).toMatchObject({ tipId: caseId, status: 'classified', classification: 'suspected-trafficking', province: 'Lào Cai', peopleCount: 2 });
    expect(view.body.case.personalFields).toEqual(expect.arrayContaining(['statement', 'allegedPlace.locality', 'reporter.fullName', 'reporter.phone']));
    const [referral] = view.body.referrals;
    expect(referral).toMatchObject({ direction: 'outgoing', counterpart: 'identification', status: 'issued' });
    // Urgent and about a child: the child deadline (4 h) applies.
    expect(Date.parse(referral.acceptBy) - Date.now()).toBeLessThanOrEqual(4 * 3_600_000);
    const closed = await backbone.call('intake', 'POST', `/v1/intake/cases/${caseId}/closure`, { tipId: caseId, outcome: 'referred', referralId: referral.referralId });
    expect(closed.status).toBe(200);
  });

  it('answers a request repeated with the same Idempotency-Key with its first result, writing nothing more', async () => {
    const key = newId();
    const first = await backbone.call('intake', 'POST', '/v1/intake/tips', tip, { 'idempotency-key': key });
    const again = await backbone.call('intake', 'POST', '/v1/intake/tips', tip, { 'idempotency-key': key });
    expect(first.status).toBe(201);
    expect(again.body).toMatchObject({ caseId: first.body.caseId, duplicate: true, events: first.body.events });
    const caseId = first.body.caseId as string;
    const classifyKey = newId();
    const classify = { tipId: caseId, classification: 'suspected-trafficking', riskLevel: 'high' };
    await backbone.call('intake', 'POST', `/v1/intake/cases/${caseId}/classification`, classify, { 'idempotency-key': classifyKey });
    const replay = await backbone.call('intake', 'POST', `/v1/intake/cases/${caseId}/classification`, classify, { 'idempotency-key': classifyKey });
    expect(replay.body.duplicate).toBe(true);
    expect(await backbone.store.readStream(`intake-case-${caseId}`)).toHaveLength(2);
    const bad = await backbone.call('intake', 'POST', '/v1/intake/tips', tip, { 'idempotency-key': 'again-please' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.errors)).toMatch(/idempotency-key/);
  });

  it('keeps the personal data out of the store in plaintext', async () => {
    const caseId = await receiveTip();
    const events = await backbone.store.readStream(`intake-case-${caseId}`);
    const stored = JSON.stringify(events);
    for (const secret of ['Nguyễn Thị Lan', '0912 345 678', 'Nguyễn Văn Hùng', '0987654321', 'karaoke']) expect(stored).not.toContain(secret);
    const statement = (events[0]!.data as { statement: never }).statement;
    await expect(backbone.vault.open(statement, { field: 'statement', reader: { actor: 'test', agency: 'intake' }, purpose: 'test' })).resolves.toBe(tip.statement);
  });

  describe('refuses bad input with problem+json and writes nothing', () => {
    it('wrong types, unknown and missing fields name the field', async () => {
      expect((await refused('POST', '/v1/intake/tips', { ...tip, peopleCount: 'two' }, 400)).errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'body.peopleCount' })]));
      expect(JSON.stringify((await refused('POST', '/v1/intake/tips', { ...tip, victimName: 'x' }, 400)).errors)).toMatch(/victimName/);
      expect((await refused('POST', '/v1/intake/tips', { ...tip, channel: undefined }, 400)).errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'body.channel' })]));
      expect(JSON.stringify((await refused('POST', '/v1/intake/tips', { ...tip, minorCount: 5 }, 400)).errors)).toMatch(/minorCount/);
      await refused('POST', '/v1/intake/cases/not-a-ulid/classification', { tipId: newId(), classification: 'suspected-trafficking', riskLevel: 'high' }, 400);
    });

    it('a referral to an agency that does not exist', async () => {
      const caseId = await receiveTip();
      await backbone.call('intake', 'POST', `/v1/intake/cases/${caseId}/classification`, { tipId: caseId, classification: 'forced-labour', riskLevel: 'medium' });
      const body = await refused('POST', `/v1/intake/cases/${caseId}/referrals`, { to: 'police', kind: 'verification', priority: 'normal', involvesChild: false, summary: 'x' }, 400);
      expect(JSON.stringify(body.errors)).toMatch(/body\.to/);
    });

    it('domain rules: refer before classifying, close twice, close a case never opened', async () => {
      const caseId = await receiveTip();
      expect((await refused('POST', `/v1/intake/cases/${caseId}/referrals`, { to: 'identification', kind: 'verification', priority: 'normal', involvesChild: false, summary: 'x' }, 422)).rule).toBe('tip-not-classified');
      await backbone.call('intake', 'POST', `/v1/intake/cases/${caseId}/closure`, { tipId: caseId, outcome: 'unfounded' });
      expect((await refused('POST', `/v1/intake/cases/${caseId}/closure`, { tipId: caseId, outcome: 'unfounded' }, 409)).rule).toBe('tip-closed');
      const never = newId();
      await refused('POST', `/v1/intake/cases/${never}/closure`, { tipId: never, outcome: 'unfounded' }, 404);
    });

    it('a stale If-Match is a 412', async () => {
      const caseId = await receiveTip();
      await refused('POST', `/v1/intake/cases/${caseId}/classification`, { tipId: caseId, classification: 'suspected-trafficking', riskLevel: 'high' }, 412, { 'if-match': '"7"' });
    });

    it('another agency cannot write intake events', async () => {
      const before = await backbone.store.headPosition();
      const response = await backbone.app.inject({ method: 'POST', url: '/v1/intake/tips', headers: { authorization: `Bearer ${await backbone.token('rescue')}` }, payload: tip });
      expect(response.statusCode).toBe(403);
      expect(await backbone.store.headPosition()).toBe(before);
    });
  });

  describe('ingestion endpoint', () => {
    it('answers each fact: accepted, duplicate, rejected with the rule', async () => {
      const factId = newId();
      const facts = {
        events: [
          { id: factId, type: 'intake.TipReceived', data: tip },
          { id: newId(), type: 'rescue.RescueRequested', caseId: newId(), data: {} },
          { id: newId(), type: 'intake.TipReceived', data: { ...tip, peopleCount: -1 } },
          { id: newId(), type: 'intake.TipClosed', caseId: newId(), data: { tipId: newId(), outcome: 'unfounded' } },
        ],
      };
      const first = await backbone.call('intake', 'POST', '/v1/intake/events', facts);
      expect(first.status).toBe(200);
      expect(first.body.results.map((result: { status: string; rule?: string }) => result.rule ?? result.status)).toEqual(['accepted', 'foreign-event-type', 'invalid-payload', 'tip-mismatch']);
      const again = await backbone.call('intake', 'POST', '/v1/intake/events', { events: [facts.events[0]] });
      expect(again.body.results[0]).toMatchObject({ status: 'duplicate', caseId: first.body.results[0].caseId });
      expect(await backbone.store.readStream(`intake-case-${first.body.results[0].caseId}`)).toHaveLength(1);
    });

    it('refuses an empty or oversized batch as a whole', async () => {
      await refused('POST', '/v1/intake/events', { events: [] }, 400);
      await refused('POST', '/v1/intake/events', { events: Array.from({ length: 101 }, () => ({ id: newId(), type: 'intake.TipReceived', data: tip })) }, 400);
    });
  });

  it('serves its OpenAPI document and reference page', async () => {
    const document = await backbone.app.inject({ method: 'GET', url: '/v1/intake/openapi.json' });
    expect(document.statusCode).toBe(200);
    const json = document.json();
    expect(json.openapi).toMatch(/^3\./);
    expect(Object.keys(json.paths)).toEqual(expect.arrayContaining(['/v1/intake/tips', '/v1/intake/events', '/v1/intake/cases/{caseId}']));
    expect(Object.keys(json.paths).every((path: string) => path.startsWith('/v1/intake/'))).toBe(true);
    const page = await backbone.app.inject({ method: 'GET', url: '/v1/intake/docs' });
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.body).toContain('POST /v1/intake/tips');
  });
});
