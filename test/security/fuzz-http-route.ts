// Fuzzes one route of a fuzz backbone: NRM_FUZZ_RUNS hostile requests (fast-check, fixed seed),
// sent as a caller the route accepts, each held to the property: no 5xx, and a refused request
// (4xx) appended nothing, told by the trace id each request carries into any event it writes.
// Error answers that are not problem+json are noted for the report, not failed.
import fc from 'fast-check';
import { routeKey } from './access-matrix.ts';
import type { RouteAccess } from './access-matrix.ts';
import { FUZZ_DESK_ID, allowedCaller, claimsOf } from './fuzz-callers.ts';
import type { FuzzBackbone } from './fuzz-backbone.ts';
import { KNOWN_BUGS } from './fuzz-known-bugs.ts';
import { hostileRequests } from './fuzz-requests.ts';
import type { FuzzTarget, HostileRequest } from './fuzz-requests.ts';
import { deskPublicKeys } from './matrix-backbone.ts';
import { sampleRequest } from './sample-request.ts';
import type { OpenApiOperation, SampleRequest } from './sample-request.ts';

const SERVICE_NAMES = ['intake', 'identification', 'rescue', 'protection', 'reintegration', 'audit', 'liaison'];

export type RouteResult = {
  route: string;
  cases: number;
  ms: number;
  byKind: Record<string, number>;
  msByKind: Record<string, number>;
  byStatus: Record<number, number>;
  /** A few error answers that were not problem+json, as `kind → status content-type`. */
  notProblemJson: string[];
  /** 5xx answers that are a known, reported bug (security/fuzz-known-bugs.ts), by bug. */
  knownBugHits: Record<string, number>;
  /** fast-check's report of the shrunk counterexample, when the property failed. */
  failure?: string;
};

type Answer = { status: number; contentType: string; body: string };

export type RouteFuzzer = { fuzz(route: RouteAccess, options: { seed: number; runs: number }): Promise<RouteResult> };

/** Reads the backbone's OpenAPI documents and seeds what valid samples name: a desk and an intake case. */
export async function createRouteFuzzer(backbone: FuzzBackbone): Promise<RouteFuzzer> {
  const operations = new Map<string, OpenApiOperation>();
  for (const service of SERVICE_NAMES) {
    const document = (await backbone.app.inject({ method: 'GET', url: `/v1/${service}/openapi.json` })).json<{ paths: Record<string, Record<string, OpenApiOperation>> }>();
    for (const [path, byMethod] of Object.entries(document.paths)) for (const [method, operation] of Object.entries(byMethod)) operations.set(`${method} ${path}`, operation);
  }
  const operationOf = (route: RouteAccess) => operations.get(`${route.method.toLowerCase()} ${route.path.replace(/:([A-Za-z]+)/g, '{$1}')}`);

  let traceCounter = 0;
  /** A fresh trace per request: an event that carries it was written by that request. */
  const nextTrace = () => {
    traceCounter++;
    const traceId = `f022${traceCounter.toString(16).padStart(28, '0')}`;
    return { traceId, traceparent: `00-${traceId}-00f067aa0ba902b7-01` };
  };
  const appendedBy = async (traceId: string, before: number): Promise<string[]> => {
    const written: string[] = [];
    for await (const event of backbone.store.readAll({ after: before })) if (event.traceparent?.includes(traceId)) written.push(`${event.position} ${event.type}`);
    return written;
  };

  const admin = await backbone.token({ subject: 'fuzz-admin', roles: ['standing-office-admin'] });
  const deskBody = { ...(sampleRequest(operations.get('post /v1/liaison/desks')).body as object), deskId: FUZZ_DESK_ID, keys: deskPublicKeys('fuzz') };
  const desk = await backbone.app.inject({ method: 'POST', url: '/v1/liaison/desks', headers: { authorization: `Bearer ${admin}` }, payload: deskBody });
  if (desk.statusCode !== 201) throw new Error(`could not register the fuzz desk: ${desk.statusCode} ${desk.body}`);
  const clerk = await backbone.token({ subject: 'intake-fuzz-clerk', roles: ['clerk'], agency: 'intake' });
  const seedTrace = nextTrace();
  const tip = await backbone.app.inject({
    method: 'POST',
    url: '/v1/intake/tips',
    headers: { authorization: `Bearer ${clerk}`, traceparent: seedTrace.traceparent },
    payload: sampleRequest(operations.get('post /v1/intake/tips')).body as object,
  });
  if (tip.statusCode !== 201) throw new Error(`could not seed a case: ${tip.statusCode} ${tip.body}`);
  const seededCaseId = tip.json<{ caseId: string }>().caseId;
  // The check that a refused request appended nothing relies on this: a request's events carry its trace.
  if ((await appendedBy(seedTrace.traceId, -1)).length === 0) throw new Error('the seeded tip wrote no event carrying its trace');

  /** The route's valid request, with a case and a desk that exist where the path names them. */
  function sampleFor(route: RouteAccess): SampleRequest {
    const sample = sampleRequest(operationOf(route));
    if (route.path === '/v1/liaison/desks' && route.method === 'POST') sample.body = { ...(sample.body as object), deskId: FUZZ_DESK_ID, keys: deskPublicKeys('fuzz-again') };
    if (route.path.endsWith('/keys') && route.method === 'PUT') sample.body = { keys: deskPublicKeys('fuzz-rotated') };
    if ('caseId' in sample.params && route.path.startsWith('/v1/intake/')) sample.params.caseId = seededCaseId;
    if ('deskId' in sample.params) sample.params.deskId = FUZZ_DESK_ID;
    if (route.path === '/v1/audit/statistics') sample.query.period = '2026-Q1';
    return sample;
  }

  async function send(route: RouteAccess, request: HostileRequest, headers: Record<string, string>): Promise<Answer> {
    const path = route.path.replace(/:([A-Za-z]+)/g, (_match, name: string) => request.params[name] ?? '');
    // The desk's event stream never ends: its headers are all this needs, then the client goes away.
    const streaming = route.path.endsWith('/feed/stream');
    const response = await backbone.app.inject({
      method: route.method,
      url: request.query ? `${path}?${request.query}` : path,
      headers: { ...request.headers, ...headers },
      ...(request.payload === undefined ? {} : { payload: request.payload }),
      ...(streaming ? { payloadAsStream: true } : {}),
    });
    const contentType = String(response.headers['content-type'] ?? '');
    if (!streaming) return { status: response.statusCode, contentType, body: response.body };
    if (contentType.startsWith('text/event-stream')) {
      response.raw.res.req.destroy();
      response.stream().destroy();
      return { status: response.statusCode, contentType, body: '' };
    }
    const chunks: Buffer[] = [];
    for await (const chunk of response.stream()) chunks.push(chunk as Buffer);
    return { status: response.statusCode, contentType, body: Buffer.concat(chunks).toString('utf8') };
  }

  async function tokenFor(route: RouteAccess): Promise<string | null> {
    const kind = allowedCaller(route);
    return kind === null ? null : backbone.token(claimsOf(kind, route));
  }

  return {
    async fuzz(route, { seed, runs }) {
      const target: FuzzTarget = { path: route.path, sample: sampleFor(route), bodySchema: operationOf(route)?.requestBody?.content?.['application/json']?.schema };
      const token = await tokenFor(route);
      const result: RouteResult = { route: routeKey(route), cases: 0, ms: 0, byKind: {}, msByKind: {}, byStatus: {}, notProblemJson: [], knownBugHits: {} };
      const started = performance.now();
      const property = fc.asyncProperty(hostileRequests(target), async (request) => {
        result.cases++;
        result.byKind[request.kind] = (result.byKind[request.kind] ?? 0) + 1;
        const caseStarted = performance.now();
        const { traceId, traceparent } = nextTrace();
        const before = await backbone.store.headPosition();
        const answer = await send(route, request, { traceparent, ...(token ? { authorization: `Bearer ${token}` } : {}) });
        result.byStatus[answer.status] = (result.byStatus[answer.status] ?? 0) + 1;
        result.msByKind[request.kind] = (result.msByKind[request.kind] ?? 0) + performance.now() - caseStarted;
        const known = answer.status >= 500 ? KNOWN_BUGS.find((bug) => bug.matches(route, request)) : undefined;
        if (known) {
          result.knownBugHits[known.id] = (result.knownBugHits[known.id] ?? 0) + 1;
          return;
        }
        if (answer.status >= 500) throw new Error(`${request.kind} answered ${answer.status}: ${answer.body.slice(0, 500)}`);
        if (answer.status >= 400 && !answer.contentType.startsWith('application/problem+json') && result.notProblemJson.length < 3) {
          result.notProblemJson.push(`${request.kind} → ${answer.status} ${answer.contentType || '(no content-type)'}: ${answer.body.slice(0, 120)}`);
        }
        if (answer.status >= 400 && (await backbone.store.headPosition()) !== before) {
          const written = await appendedBy(traceId, before);
          if (written.length > 0) throw new Error(`${request.kind} answered ${answer.status} yet appended ${written.join(', ')}`);
        }
      });
      const details = await fc.check(property, { seed, numRuns: runs });
      result.ms = performance.now() - started;
      if (details.failed) {
        const error = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
        result.failure = `${fc.defaultReportMessage(details) ?? 'the property failed'}\n${error}`;
      }
      return result;
    },
  };
}
