// Rate limits through a real Fastify app: an agency's callers share one budget, other agencies
// and desks have their own, public routes are not counted, and a refusal is problem+json 429
// with Retry-After.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from './app.ts';
import type { NrmApp } from './app.ts';
import { rateLimitFromEnv } from './rate-limit.ts';
import { createTestAuth } from './testing/test-auth.ts';
import type { TestAuth } from './testing/test-auth.ts';

let app: NrmApp;
let auth: TestAuth;

beforeAll(async () => {
  auth = await createTestAuth();
  app = await buildApp({ serviceName: 'test', auth: auth.auth, logger: { level: 'silent' }, rateLimit: { max: 3, windowMs: 60_000 } });
  app.get('/things', async () => ({ ok: true }));
  await app.ready();
});
afterAll(async () => app?.close());

const get = async (url: string, claims?: Parameters<TestAuth['token']>[0]) =>
  app.inject({ method: 'GET', url, headers: claims ? { authorization: `Bearer ${await auth.token(claims)}` } : {} });

describe('rate limits', () => {
  it('counts an agency’s callers together, refuses the excess with 429 and Retry-After, and leaves others and public routes alone', async () => {
    for (let i = 0; i < 3; i++) expect((await get('/things', { agency: 'intake', roles: ['clerk'], subject: `clerk-${i}` })).statusCode).toBe(200);
    const refused = await get('/things', { agency: 'intake', roles: ['supervisor'], subject: 'supervisor' });
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.json()).toMatchObject({ status: 429, type: expect.stringContaining('rate-limited') });

    expect((await get('/things', { agency: 'protection', roles: ['clerk'] })).statusCode).toBe(200);
    expect((await get('/things', { roles: ['desk'], subject: 'kh-bavet', country: 'KH' })).statusCode).toBe(200);
    for (let i = 0; i < 10; i++) expect((await get('/health')).statusCode).toBe(200);
  });

  it('is configured per minute from the environment; 0 turns it off; nonsense is refused at start', () => {
    expect(rateLimitFromEnv({})).toEqual({ max: 6000, windowMs: 60_000 });
    expect(rateLimitFromEnv({ NRM_RATE_LIMIT_PER_MINUTE: '0' })).toEqual({ max: 0, windowMs: 60_000 });
    expect(() => rateLimitFromEnv({ NRM_RATE_LIMIT_PER_MINUTE: 'lots' })).toThrow(/whole number/);
  });
});
