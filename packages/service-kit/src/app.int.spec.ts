// One service slice end to end on the real embedded store: the route authenticates, validates,
// runs the decider and answers with the stream revision as ETag. A request with no token or a
// malformed body is refused before anything reaches the store.
import { newId } from '@nrm/contracts';
import { createSqliteEventStore } from '@nrm/eventstore';
import type { EventStore } from '@nrm/eventstore';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildApp } from './app.ts';
import type { NrmApp, ServicePlugin } from './app.ts';
import { requireAgency } from './auth.ts';
import { handleCommand } from './command-handler.ts';
import { requestCommandMetadata } from './command-metadata.ts';
import { eventStoreReadiness } from './health.ts';
import { PROBLEM_CONTENT_TYPE, PROBLEM_TYPE_BASE } from './problem-details.ts';
import { etagOf, ifMatchRevision } from './revision-header.ts';
import { tallyDecider, tallyRegistry } from './testing/tally-decider.ts';
import { createTestAuth } from './testing/test-auth.ts';
import type { TestAuth } from './testing/test-auth.ts';

describe('a service slice on buildApp', () => {
  let store: EventStore;
  let app: NrmApp;
  let testAuth: TestAuth;
  let appends = 0;

  beforeEach(async () => {
    store = createSqliteEventStore({ path: ':memory:' });
    const append = store.append.bind(store);
    appends = 0;
    store.append = (...args) => {
      appends++;
      return append(...args);
    };
    testAuth = await createTestAuth();
    app = await buildApp({ serviceName: 'intake', auth: testAuth.auth, logger: { level: 'silent' }, readinessChecks: [eventStoreReadiness(store)] });
    const additions: ServicePlugin = async (intake) => {
      intake.post(
        '/tallies/:tallyId/additions',
        {
          preHandler: requireAgency('intake'),
          schema: {
            params: z.object({ tallyId: z.string().regex(/^[0-9A-Z]{26}$/) }),
            body: z.object({ amount: z.int().min(1) }),
            response: { 201: z.object({ revision: z.number() }) },
          },
        },
        async (request, reply) => {
          const result = await handleCommand({
            store,
            stream: `intake-tally-${request.params.tallyId}`,
            decider: tallyDecider,
            registry: tallyRegistry,
            expectedRevision: ifMatchRevision(request),
            command: { type: 'AddToTally', data: { amount: request.body.amount }, metadata: requestCommandMetadata(request, { agency: 'intake', caseId: request.params.tallyId }) },
          });
          const revision = result.nextRevision === 'no_stream' ? -1 : result.nextRevision;
          return reply.code(201).header('etag', etagOf(revision)).send({ revision });
        },
      );
    };
    await app.register(additions, { prefix: '/v1/intake' });
    await app.ready();
  });
  afterEach(async () => {
    await app.close();
    await store.close();
  });

  async function openTally(tallyId: string, limit: number): Promise<void> {
    await handleCommand({
      store,
      stream: `intake-tally-${tallyId}`,
      decider: tallyDecider,
      command: { type: 'OpenTally', data: { limit }, metadata: { commandId: newId(), now: new Date().toISOString(), actor: 'setup', agency: 'intake', caseId: tallyId, causationId: null, traceparent: null } },
    });
  }

  it('appends through the decider and answers the revision as ETag, with the actor and trace from the request', async () => {
    const tallyId = newId();
    await openTally(tallyId, 10);
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const response = await app.inject({
      method: 'POST',
      url: `/v1/intake/tallies/${tallyId}/additions`,
      headers: { authorization: `Bearer ${await testAuth.token({ subject: 'officer-9', agency: 'intake' })}`, traceparent },
      payload: { amount: 3 },
    });
    expect(response.statusCode).toBe(201);
    expect(response.headers.etag).toBe('"1"');
    const [, added] = await store.readStream(`intake-tally-${tallyId}`);
    expect(added).toMatchObject({ type: 'intake.TallyAdded', actor: 'officer-9', agency: 'intake', caseId: tallyId, traceparent, data: { amount: 3 } });
  });

  it('refuses a request with no token with 401 problem+json; nothing reaches the store', async () => {
    const before = await store.headPosition();
    const response = await app.inject({ method: 'POST', url: `/v1/intake/tallies/${newId()}/additions`, payload: { amount: 3 } });
    expect(response.statusCode).toBe(401);
    expect(response.headers['content-type']).toContain(PROBLEM_CONTENT_TYPE);
    expect(await store.headPosition()).toBe(before);
    expect(appends).toBe(0);
  });

  it('refuses a malformed body with 400 problem+json naming the field; nothing reaches the store', async () => {
    const tallyId = newId();
    await openTally(tallyId, 10);
    const appendsBefore = appends;
    const response = await app.inject({
      method: 'POST',
      url: `/v1/intake/tallies/${tallyId}/additions`,
      headers: { authorization: `Bearer ${await testAuth.token({ agency: 'intake' })}` },
      payload: { amount: 'three' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toContain(PROBLEM_CONTENT_TYPE);
    expect(response.json()).toMatchObject({ type: `${PROBLEM_TYPE_BASE}validation`, errors: [{ field: 'body.amount' }] });
    expect(appends).toBe(appendsBefore);
    expect(await store.readStream(`intake-tally-${tallyId}`)).toHaveLength(1);
  });

  it('answers a domain refusal with its status and rule', async () => {
    const response = await app.inject({
      method: 'POST',
      url: `/v1/intake/tallies/${newId()}/additions`,
      headers: { authorization: `Bearer ${await testAuth.token({ agency: 'intake' })}` },
      payload: { amount: 1 },
    });
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({ type: `${PROBLEM_TYPE_BASE}illegal-state`, rule: 'tally-not-open' });
    expect(appends).toBe(0);
  });

  it('answers a stale If-Match with 412, a current one with 201, and a malformed one with 400', async () => {
    const tallyId = newId();
    await openTally(tallyId, 10);
    const post = async (ifMatch: string) =>
      app.inject({
        method: 'POST',
        url: `/v1/intake/tallies/${tallyId}/additions`,
        headers: { authorization: `Bearer ${await testAuth.token({ agency: 'intake' })}`, 'if-match': ifMatch },
        payload: { amount: 1 },
      });
    expect((await post('"0"')).statusCode).toBe(201);
    const stale = await post('"0"');
    expect(stale.statusCode).toBe(412);
    expect(stale.json()).toMatchObject({ type: `${PROBLEM_TYPE_BASE}stale-revision` });
    expect((await post('W/"1"')).json()).toMatchObject({ status: 400, errors: [{ field: 'headers.if-match' }] });
    expect((await post('"1"')).statusCode).toBe(201);
    expect(await store.readStream(`intake-tally-${tallyId}`)).toHaveLength(3);
  });

  it('serves its readiness with the store check', async () => {
    expect((await app.inject({ method: 'GET', url: '/ready' })).json()).toEqual({ status: 'ready', checks: [`eventstore:${store.name}`] });
  });
});
