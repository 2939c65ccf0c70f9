// Every failure becomes RFC 9457 problem+json with a stable type; only the caller's own mistakes
// are explained, and an unexpected error's details stay in the log.
import { WrongExpectedRevisionError } from '@nrm/eventstore';
import { InvalidProjectionRequestError } from '@nrm/projections';
import { SubjectErasedError } from '@nrm/vault';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildApp } from './app.ts';
import type { NrmApp } from './app.ts';
import { ConcurrencyError, DomainRuleError, IllegalStateError, NotFoundError, UnauthorizedError } from './errors.ts';
import { PROBLEM_CONTENT_TYPE, PROBLEM_TYPE_BASE } from './problem-details.ts';
import { problemOf } from './problem-handler.ts';
import { createTestAuth } from './testing/test-auth.ts';

describe('problemOf', () => {
  it('maps a domain rule to 422 and an illegal state to 409, both naming the rule', () => {
    expect(problemOf(new DomainRuleError('acceptance-deadline-passed', 'the referral expired')).details).toEqual({
      type: `${PROBLEM_TYPE_BASE}domain-rule`,
      title: 'A domain rule refuses the command',
      status: 422,
      detail: 'the referral expired',
      rule: 'acceptance-deadline-passed',
    });
    expect(problemOf(new IllegalStateError('referral-already-accepted', 'already accepted')).details).toMatchObject({
      type: `${PROBLEM_TYPE_BASE}illegal-state`,
      status: 409,
      rule: 'referral-already-accepted',
    });
  });

  it('maps concurrency: a stale If-Match is 412, a conflict the runtime gave up on is 409', () => {
    expect(problemOf(new ConcurrencyError({ stream: 's', expected: 1, actual: 2, fromIfMatch: true })).details).toMatchObject({ status: 412, type: `${PROBLEM_TYPE_BASE}stale-revision` });
    expect(problemOf(new ConcurrencyError({ stream: 's', expected: 1, actual: 2, fromIfMatch: false })).details).toMatchObject({ status: 409, type: `${PROBLEM_TYPE_BASE}concurrency-conflict` });
    expect(problemOf(new WrongExpectedRevisionError('s', 1, 2)).details).toMatchObject({ status: 409, type: `${PROBLEM_TYPE_BASE}concurrency-conflict` });
  });

  it('adds WWW-Authenticate to a 401, with an error code only when a token was presented', () => {
    expect(problemOf(new UnauthorizedError('no token', false)).headers).toEqual({ 'www-authenticate': 'Bearer realm="nrm-backbone"' });
    expect(problemOf(new UnauthorizedError('expired', true)).headers).toEqual({ 'www-authenticate': 'Bearer realm="nrm-backbone", error="invalid_token"' });
  });

  it('answers 410 for data of an erased person, sealed or opened from any route, naming no one', () => {
    const problem = problemOf(new SubjectErasedError('01JBQ7Y0PACKET0000000000AA'));
    expect(problem.details).toMatchObject({ status: 410, type: `${PROBLEM_TYPE_BASE}person-erased` });
    expect(problem.internal).toBe(false);
    expect(JSON.stringify(problem.details)).not.toContain('01JBQ7Y0PACKET0000000000AA');
  });

  it('hides an unknown error behind a generic 500', () => {
    const problem = problemOf(new TypeError('cannot read fullName of Nguyễn Văn A'));
    expect(problem.internal).toBe(true);
    expect(problem.details).toMatchObject({ status: 500, type: `${PROBLEM_TYPE_BASE}internal` });
    expect(JSON.stringify(problem.details)).not.toContain('Nguyễn');
  });
});

describe('the error handler of an app', () => {
  let app: NrmApp;
  const logLines: string[] = [];

  beforeEach(async () => {
    logLines.length = 0;
    const { auth } = await createTestAuth();
    app = await buildApp({ serviceName: 'test', auth, bodyLimit: 1024, logger: { stream: { write: (line: string) => logLines.push(line) } } });
    const Person = z.object({ summary: z.string().max(20), person: z.object({ age: z.int().min(0) }) });
    app.post('/things', { config: { public: true }, schema: { body: Person, querystring: z.object({ limit: z.coerce.number().int().max(10).optional() }) } }, async () => ({ ok: true }));
    app.post('/refuse', { config: { public: true } }, async () => {
      throw new IllegalStateError('referral-already-accepted', 'the referral was accepted already');
    });
    app.get('/missing', { config: { public: true } }, async () => {
      throw new NotFoundError('no case 01K');
    });
    app.get('/crash', { config: { public: true } }, async () => {
      throw new Error('decrypted fullName Nguyễn Văn A did not match');
    });
    await app.ready();
  });
  afterEach(async () => {
    await app.close();
  });

  it('answers a malformed body with 400 naming every invalid field', async () => {
    const response = await app.inject({ method: 'POST', url: '/things', payload: { person: { age: -1 } } });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toContain(PROBLEM_CONTENT_TYPE);
    const problem = response.json();
    expect(problem).toMatchObject({ type: `${PROBLEM_TYPE_BASE}validation`, status: 400, instance: response.headers['x-request-id'] });
    expect(problem.errors.map((issue: { field: string }) => issue.field).sort()).toEqual(['body.person.age', 'body.summary']);
    expect(problem.detail).toContain('body.summary');
  });

  it('names querystring fields too', async () => {
    const response = await app.inject({ method: 'POST', url: '/things?limit=99', payload: { summary: 'x', person: { age: 1 } } });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors).toEqual([expect.objectContaining({ field: 'querystring.limit' })]);
  });

  it('answers a domain refusal with its status and rule', async () => {
    const response = await app.inject({ method: 'POST', url: '/refuse' });
    expect(response.statusCode).toBe(409);
    expect(response.headers['content-type']).toContain(PROBLEM_CONTENT_TYPE);
    expect(response.json()).toMatchObject({ type: `${PROBLEM_TYPE_BASE}illegal-state`, rule: 'referral-already-accepted', detail: 'the referral was accepted already' });
  });

  it('answers an unexpected error with a bare 500 and logs what happened', async () => {
    const response = await app.inject({ method: 'GET', url: '/crash' });
    expect(response.statusCode).toBe(500);
    expect(response.body).not.toContain('Nguyễn');
    expect(response.body).not.toContain('did not match');
    const logged = logLines.map((line) => JSON.parse(line) as { reqId?: string; level: number; err?: { message: string } }).find((line) => line.level === 50);
    expect(logged?.err?.message).toContain('did not match');
    expect(logged?.reqId).toBe(response.json().instance);
  });

  it('answers NotFoundError and unknown routes with a 404 problem', async () => {
    expect((await app.inject({ method: 'GET', url: '/missing' })).json()).toMatchObject({ status: 404, detail: 'no case 01K' });
    const unknown = await app.inject({ method: 'GET', url: '/nowhere?name=secret', headers: { authorization: `Bearer ${'x'.repeat(10)}` } });
    expect(unknown.headers['content-type']).toContain(PROBLEM_CONTENT_TYPE);
    // Unknown routes are authenticated like any other, so their existence is not revealed to strangers.
    expect(unknown.statusCode).toBe(401);
  });

  it('answers unreadable JSON with 400 and an oversized body with 413', async () => {
    const broken = await app.inject({ method: 'POST', url: '/things', headers: { 'content-type': 'application/json' }, payload: '{"summary": ' });
    expect(broken.statusCode).toBe(400);
    expect(broken.json()).toMatchObject({ type: `${PROBLEM_TYPE_BASE}bad-request` });
    const large = await app.inject({ method: 'POST', url: '/things', payload: { summary: 'x'.repeat(2048), person: { age: 1 } } });
    expect(large.statusCode).toBe(413);
    expect(large.json()).toMatchObject({ type: `${PROBLEM_TYPE_BASE}payload-too-large` });
  });
});

describe('refusals raised before any route runs', () => {
  it('answers a malformed URL and an overlong path parameter with problem+json that does not echo the URL', async () => {
    const app = await buildApp({ serviceName: 'test', auth: (await createTestAuth()).auth, logger: { level: 'silent' } });
    app.get('/things/:id', async () => ({ ok: true }));
    await app.ready();
    try {
      const bad = await app.inject({ method: 'GET', url: '/things/%E0%A4%A?name=Nguyen' });
      expect(bad.statusCode).toBe(400);
      expect(bad.headers['content-type']).toContain(PROBLEM_CONTENT_TYPE);
      expect(bad.body).not.toContain('Nguyen');
      const long = await app.inject({ method: 'GET', url: `/things/${'x'.repeat(200)}` });
      expect(long.statusCode).toBe(414);
      expect(long.json()).toMatchObject({ status: 414, type: `${PROBLEM_TYPE_BASE}uri-too-long` });
    } finally {
      await app.close();
    }
  });

  it('maps a read model refusing a cursor it never issued to 400, not 500', () => {
    expect(problemOf(new InvalidProjectionRequestError('cursor is not one this store issued')).details).toMatchObject({ status: 400, type: `${PROBLEM_TYPE_BASE}validation` });
  });
});
