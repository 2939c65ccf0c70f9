// Liveness and readiness: public, problem+json 503 when a dependency fails, and mountable under
// a service's prefix as the embedded server does.
import { createSqliteEventStore } from '@nrm/eventstore';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from './app.ts';
import type { NrmApp } from './app.ts';
import { eventStoreReadiness, healthRoutes } from './health.ts';
import type { ReadinessCheck } from './health.ts';
import { PROBLEM_CONTENT_TYPE, PROBLEM_TYPE_BASE } from './problem-details.ts';
import { createTestAuth } from './testing/test-auth.ts';

describe('health routes', () => {
  let app: NrmApp | undefined;
  afterEach(async () => {
    await app?.close();
  });

  async function appWith(checks: ReadinessCheck[]): Promise<NrmApp> {
    app = await buildApp({ serviceName: 'test', auth: (await createTestAuth()).auth, logger: { level: 'silent' }, readinessChecks: checks });
    return app;
  }

  it('answers /health and /ready without a token', async () => {
    const store = createSqliteEventStore({ path: ':memory:' });
    const ready = await appWith([eventStoreReadiness(store)]);
    expect((await ready.inject({ method: 'GET', url: '/health' })).json()).toEqual({ status: 'ok' });
    const response = await ready.inject({ method: 'GET', url: '/ready' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ready', checks: [`eventstore:${store.name}`] });
    await store.close();
  });

  it('answers 503 problem+json naming the failing check when a dependency is down', async () => {
    const store = createSqliteEventStore({ path: ':memory:' });
    await store.close();
    const notReady = await appWith([{ name: 'vault', check: () => undefined }, eventStoreReadiness(store)]);
    const response = await notReady.inject({ method: 'GET', url: '/ready' });
    expect(response.statusCode).toBe(503);
    expect(response.headers['content-type']).toContain(PROBLEM_CONTENT_TYPE);
    expect(response.json()).toMatchObject({ type: `${PROBLEM_TYPE_BASE}not-ready`, status: 503 });
    expect(response.json().detail).toContain('eventstore');
    expect(response.json().detail).not.toContain('vault');
    expect((await notReady.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
  });

  it('counts a hanging check as failed', async () => {
    const hanging = await appWith([]);
    await hanging.register(healthRoutes, { prefix: '/slow', checks: [{ name: 'bus', check: () => new Promise(() => {}) }], timeoutMs: 50 });
    const response = await hanging.inject({ method: 'GET', url: '/slow/ready' });
    expect(response.statusCode).toBe(503);
    expect(response.json().detail).toContain('bus');
  });

  it('mounts under a service prefix with its own checks', async () => {
    const embedded = await appWith([]);
    await embedded.register(healthRoutes, { prefix: '/v1/intake', checks: [{ name: 'intake-store', check: async () => {} }] });
    await embedded.register(healthRoutes, { prefix: '/v1/rescue', checks: [{ name: 'rescue-store', check: async () => { throw new Error('locked'); } }] });
    expect((await embedded.inject({ method: 'GET', url: '/v1/intake/health' })).statusCode).toBe(200);
    expect((await embedded.inject({ method: 'GET', url: '/v1/intake/ready' })).json()).toEqual({ status: 'ready', checks: ['intake-store'] });
    expect((await embedded.inject({ method: 'GET', url: '/v1/rescue/ready' })).statusCode).toBe(503);
    expect((await embedded.inject({ method: 'GET', url: '/ready' })).statusCode).toBe(200);
  });
});
