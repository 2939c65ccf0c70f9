// The access-control matrix (test/security/access-matrix.ts) against a running backbone with
// every service mounted: the routes it registers are exactly the routes the matrix lists, and
// every route called by every kind of caller answers as the matrix says. Requests are valid
// (sampled from each route's OpenAPI schemas), because a body that fails validation answers 400
// before the role and agency guards run and would hide a 403. All differing cells fail at once.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Agency } from '@nrm/contracts';
import { ACCESS_MATRIX, PRINCIPAL_KINDS, routeKey, serviceOf } from '../security/access-matrix.ts';
import type { Outcome, PrincipalKind, RouteAccess } from '../security/access-matrix.ts';
import { deskPublicKeys, startMatrixBackbone } from '../security/matrix-backbone.ts';
import { SECURITY_DOC, withCurrentMatrix } from '../security/render-access-matrix.ts';
import type { MatrixBackbone } from '../security/matrix-backbone.ts';
import { sampleRequest } from '../security/sample-request.ts';
import type { OpenApiOperation, SampleRequest } from '../security/sample-request.ts';

const DESK_ID = 'kh-matrix-desk';
const OTHER_DESK_ID = 'la-other-desk';
const ERASED_PERSON_ID = '01JYYYYYYYYYYYYYYYYYYYYYYY';
const SERVICE_NAMES: readonly Agency[] = ['intake', 'identification', 'rescue', 'protection', 'reintegration', 'audit', 'liaison'];

let backbone: MatrixBackbone;
const operations = new Map<string, OpenApiOperation>();
let seededCaseId: string;

function claimsOf(kind: Exclude<PrincipalKind, 'anonymous'>, owner: Agency | null): { subject: string; roles: string[]; agency?: Agency; country?: string } {
  const agency = owner ?? 'intake';
  switch (kind) {
    case 'clerk':
    case 'supervisor':
    case 'agency-admin':
      return { subject: `${agency}-${kind}`, roles: [kind], agency };
    case 'other-agency-clerk': {
      const other: Agency = agency === 'intake' ? 'identification' : 'intake';
      return { subject: `${other}-clerk`, roles: ['clerk'], agency: other };
    }
    case 'auditor':
    case 'standing-office-admin':
      return { subject: `matrix-${kind}`, roles: [kind] };
    case 'desk':
      return { subject: DESK_ID, roles: ['desk'], country: 'KH' };
    case 'other-desk':
      return { subject: OTHER_DESK_ID, roles: ['desk'], country: 'LA' };
    default: {
      const never: never = kind;
      throw new Error(`no claims for ${String(never)}`);
    }
  }
}

/** The OpenAPI path of a Fastify path template: `/cases/:caseId` is `/cases/{caseId}`. */
function openApiPath(path: string): string {
  return path.replace(/:([A-Za-z]+)/g, '{$1}');
}

/** The request every caller sends to a route; a few bodies are given where sampling cannot make them. */
function requestFor(route: RouteAccess): SampleRequest {
  const sample = sampleRequest(operations.get(`${route.method.toLowerCase()} ${openApiPath(route.path)}`));
  if (route.path === '/v1/liaison/desks' && route.method === 'POST') sample.body = { ...(sample.body as object), deskId: DESK_ID, keys: deskPublicKeys('matrix-again') };
  if (route.path.endsWith('/keys') && route.method === 'PUT') sample.body = { keys: deskPublicKeys('matrix-rotated') };
  if ('caseId' in sample.params && serviceOf(route.path) === 'intake') sample.params.caseId = seededCaseId;
  if ('deskId' in sample.params || route.path.includes(':deskId')) sample.params.deskId = DESK_ID;
  if (route.path === '/v1/audit/statistics') sample.query.period = '2026-Q1';
  // Erasure is for good: a person of its own, so no later route seals data of an erased person.
  if (route.path.endsWith('/erasure')) sample.params.personId = ERASED_PERSON_ID;
  return sample;
}

function urlOf(route: RouteAccess, sample: SampleRequest): string {
  const path = route.path.replace(/:([A-Za-z]+)/g, (_match, name: string) => {
    const value = sample.params[name];
    if (value === undefined) throw new Error(`no value for :${name} in ${route.path}`);
    return encodeURIComponent(value);
  });
  const query = new URLSearchParams(sample.query).toString();
  return `${backbone.url}${path}${query ? `?${query}` : ''}`;
}

async function statusOf(route: RouteAccess, sample: SampleRequest, token: string | null): Promise<number> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), 10_000);
  try {
    const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
    if (sample.body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(urlOf(route, sample), { method: route.method, headers, signal: abort.signal, ...(sample.body === undefined ? {} : { body: JSON.stringify(sample.body) }) });
    // A desk's event stream never ends: its status is all this needs.
    if (response.headers.get('content-type')?.startsWith('text/event-stream')) abort.abort();
    else await response.arrayBuffer();
    return response.status;
  } finally {
    clearTimeout(timer);
  }
}

function matches(expected: Outcome, status: number): boolean {
  switch (expected) {
    case '401':
      return status === 401;
    case '403':
      return status === 403;
    case '404-hidden':
      return status === 404;
    case 'allowed':
      return status !== 401 && status !== 403 && status !== 500;
    default: {
      const never: never = expected;
      throw new Error(`unknown outcome ${String(never)}`);
    }
  }
}

beforeAll(async () => {
  backbone = await startMatrixBackbone();
  for (const service of SERVICE_NAMES) {
    const document = (await (await fetch(`${backbone.url}/v1/${service}/openapi.json`)).json()) as { paths: Record<string, Record<string, OpenApiOperation>> };
    for (const [path, byMethod] of Object.entries(document.paths)) for (const [method, operation] of Object.entries(byMethod)) operations.set(`${method} ${path}`, operation);
  }
  const admin = await backbone.token({ subject: 'matrix-admin', roles: ['standing-office-admin'] });
  const deskBody = { ...(sampleRequest(operations.get('post /v1/liaison/desks')).body as object), deskId: DESK_ID, keys: deskPublicKeys('matrix') };
  const desk = await fetch(`${backbone.url}/v1/liaison/desks`, { method: 'POST', headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' }, body: JSON.stringify(deskBody) });
  expect(desk.status, await desk.clone().text()).toBe(201);
  const clerk = await backbone.token({ subject: 'intake-clerk', roles: ['clerk'], agency: 'intake' });
  const tip = await fetch(`${backbone.url}/v1/intake/tips`, { method: 'POST', headers: { authorization: `Bearer ${clerk}`, 'content-type': 'application/json' }, body: JSON.stringify(sampleRequest(operations.get('post /v1/intake/tips')).body) });
  expect(tip.status, await tip.clone().text()).toBe(201);
  seededCaseId = ((await tip.json()) as { caseId: string }).caseId;
});

afterAll(async () => backbone?.close());

describe('access-control matrix', () => {
  it('is in docs/security.md as it is now (run `node test/security/render-access-matrix.ts` after changing it)', () => {
    const document = readFileSync(SECURITY_DOC, 'utf8');
    expect(document, 'docs/security.md is stale').toBe(withCurrentMatrix(document));
  });

  it('lists exactly the routes the backbone registers', () => {
    const listed = new Set(ACCESS_MATRIX.map(routeKey));
    const rootRoutes = ACCESS_MATRIX.filter((route) => serviceOf(route.path) === null);
    const registered = new Set(backbone.registered.map(routeKey));
    for (const route of rootRoutes) if (backbone.app.hasRoute({ method: route.method, url: route.path })) registered.add(routeKey(route));
    expect({ unlisted: [...registered].filter((key) => !listed.has(key)), unregistered: [...listed].filter((key) => !registered.has(key)) }).toEqual({ unlisted: [], unregistered: [] });
    expect(listed.size).toBe(ACCESS_MATRIX.length);
  });

  it('answers every route, for every kind of caller, as the matrix says', async () => {
    const tokens = new Map<string, string>();
    const tokenOf = async (kind: PrincipalKind, owner: Agency | null): Promise<string | null> => {
      if (kind === 'anonymous') return null;
      const key = `${kind}:${owner}`;
      if (!tokens.has(key)) tokens.set(key, await backbone.token(claimsOf(kind, owner)));
      return tokens.get(key)!;
    };
    const differing: string[] = [];
    for (const route of ACCESS_MATRIX) {
      const sample = requestFor(route);
      await Promise.all(
        PRINCIPAL_KINDS.map(async (kind) => {
          const status = await statusOf(route, sample, await tokenOf(kind, serviceOf(route.path)));
          if (!matches(route.expected[kind], status)) differing.push(`${routeKey(route)} as ${kind}: expected ${route.expected[kind]}, got ${status}`);
        }),
      );
    }
    expect(differing).toEqual([]);
  });
});
