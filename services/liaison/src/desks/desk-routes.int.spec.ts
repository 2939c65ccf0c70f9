// The desk registry over HTTP on a real app and SQLite store: the administrator registers a desk
// and rotates its keys without downtime; auditors and the desk itself read it, another desk
// cannot even learn it exists; every bad input is a problem+json and writes nothing; a request
// replayed with its Idempotency-Key writes nothing twice.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventRegistry, newId } from '@nrm/contracts';
import { createSqliteEventStore } from '@nrm/eventstore';
import type { EventStore } from '@nrm/eventstore';
import { buildApp } from '@nrm/service-kit';
import type { NrmApp } from '@nrm/service-kit';
import { createTestAuth } from '@nrm/service-kit/testing';
import type { TestAuth } from '@nrm/service-kit/testing';
import { createDeskDirectory } from './desk-directory.ts';
import { registerDeskRoutes } from './desk-routes.ts';
import type { DeskDirectory } from './desk.ts';
import { bavetDesk, firstKeys, keySet, overlapKeys, publicKey, secondKeys } from './testing/desk-fixtures.ts';

let dir: string;
let store: EventStore;
let app: NrmApp;
let auth: TestAuth;
let directory: DeskDirectory;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'nrm-desks-'));
  store = createSqliteEventStore({ path: join(dir, 'liaison.db'), durability: 'normal' });
  auth = await createTestAuth();
  directory = createDeskDirectory(store, eventRegistry);
  app = await buildApp({ serviceName: 'liaison-test', auth: auth.auth, logger: { level: 'silent' } });
  await app.register(async (scoped) => registerDeskRoutes(scoped, { store, registry: eventRegistry, directory }), { prefix: '/v1/liaison' });
  await app.ready();
});
afterAll(async () => {
  await app?.close();
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

const ADMIN = { roles: ['standing-office-admin'], subject: 'admin-hanoi' };
const AUDITOR = { roles: ['auditor'], subject: 'inspector-1' };
const BAVET = { roles: ['desk'], subject: 'kh-bavet', country: 'KH' };
const LAO_BAO = { roles: ['desk'], subject: 'la-densavan', country: 'LA' };
type Caller = { roles: string[]; subject: string; country?: string } | null;

// The body is whatever JSON the route answered; tests read its fields directly.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function call(caller: Caller, method: 'GET' | 'POST' | 'PUT', url: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any; headers: Record<string, unknown> }> {
  const authorization = caller ? { authorization: `Bearer ${await auth.token(caller)}` } : {};
  const response = await app.inject({ method, url: `/v1/liaison${url}`, headers: { ...authorization, ...headers }, ...(body === undefined ? {} : { payload: body as object }) });
  return { status: response.statusCode, body: response.body ? JSON.parse(response.body) : undefined, headers: response.headers };
}

async function refused(caller: Caller, method: 'POST' | 'PUT' | 'GET', url: string, body: unknown, status: number, headers?: Record<string, string>) {
  const before = await store.headPosition();
  const response = await call(caller, method, url, body, headers);
  expect(response.status, JSON.stringify(response.body)).toBe(status);
  expect(String(response.headers['content-type'])).toMatch(/^application\/problem\+json/);
  expect(await store.headPosition()).toBe(before);
  return response.body;
}

const deskEvents = async (deskId = 'kh-bavet') => store.readStream(`liaison-desk-${deskId}`);

describe('liaison: the desk registry over HTTP', () => {
  it('registers a desk as the standing office administrator, as liaison with no case', async () => {
    const response = await call(ADMIN, 'POST', '/desks', bavetDesk);
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    expect(response.body).toEqual({ ...bavetDesk, revision: 0 });
    expect(response.headers.etag).toBe('"0"');
    expect(response.headers.location).toBe('/v1/liaison/desks/kh-bavet');
    const [event] = await deskEvents();
    expect(event).toMatchObject({ type: 'liaison.DeskRegistered', agency: 'liaison', actor: 'admin-hanoi', caseId: null, data: bavetDesk });
  });

  it('lets only the administrator write', async () => {
    await refused(AUDITOR, 'POST', '/desks', { ...bavetDesk, deskId: 'kh-moc-bai' }, 403);
    await refused(BAVET, 'PUT', '/desks/kh-bavet/keys', { keys: overlapKeys }, 403);
    await refused(null, 'POST', '/desks', { ...bavetDesk, deskId: 'kh-moc-bai' }, 401);
  });

  it('lists the desks to administrators and auditors', async () => {
    for (const caller of [ADMIN, AUDITOR]) {
      const response = await call(caller, 'GET', '/desks');
      expect(response.status).toBe(200);
      expect(response.body.desks.map((desk: { deskId: string }) => desk.deskId)).toEqual(['kh-bavet']);
    }
    expect((await call(BAVET, 'GET', '/desks')).status).toBe(403);
  });

  it('shows a desk to administrators, auditors and the desk itself; to another desk it does not exist', async () => {
    for (const caller of [ADMIN, AUDITOR, BAVET]) {
      const response = await call(caller, 'GET', '/desks/kh-bavet');
      expect(response.status, caller.subject).toBe(200);
      expect(response.body.deskId).toBe('kh-bavet');
      expect(response.headers.etag).toBe('"0"');
    }
    const hidden = await call(LAO_BAO, 'GET', '/desks/kh-bavet');
    const missing = await call(LAO_BAO, 'GET', '/desks/la-nowhere');
    expect([hidden.status, missing.status]).toEqual([404, 404]);
    expect(hidden.body.detail).toBe('no desk kh-bavet is registered');
    expect((await call(ADMIN, 'GET', '/desks/kh-nowhere')).status).toBe(404);
    expect((await call({ roles: ['clerk'], subject: 'kh-bavet' }, 'GET', '/desks/kh-bavet')).status).toBe(403);
  });

  it('refuses bad desks with problem+json naming the field or the rule, and writes nothing', async () => {
    const desk = { ...bavetDesk, deskId: 'kh-moc-bai' };
    const [sig, enc] = firstKeys.keys;
    const privateKey = await refused(ADMIN, 'POST', '/desks', { ...desk, keys: { keys: [{ ...sig, d: 'c2VjcmV0' }, enc] } }, 400);
    expect(privateKey.errors).toEqual([{ field: 'body.keys.keys.0.d', message: expect.stringMatching(/private key material/) }]);
    expect((await refused(ADMIN, 'POST', '/desks', { ...desk, deskId: 'la-moc-bai' }, 422)).rule).toBe('desk-id-country-mismatch');
    expect((await refused(ADMIN, 'POST', '/desks', { ...desk, borderGates: ['Mộc Bài', 'Hữu Nghị'] }, 422)).rule).toBe('gate-not-on-border');
    const duplicateKid = await refused(ADMIN, 'POST', '/desks', { ...desk, keys: keySet(publicKey('k1', 'sig'), publicKey('k1', 'enc')) }, 400);
    expect(duplicateKid.errors).toEqual([expect.objectContaining({ field: 'body.keys.keys.1', message: 'appears twice' })]);
    const noEncryption = await refused(ADMIN, 'POST', '/desks', { ...desk, keys: keySet(publicKey('s1', 'sig'), publicKey('s2', 'sig', 'other')) }, 400);
    expect(noEncryption.errors).toEqual([expect.objectContaining({ field: 'body.keys.keys', message: 'needs at least one key with use "enc"' })]);
    expect((await refused(ADMIN, 'POST', '/desks', { ...desk, deskId: 'Bavet' }, 400)).errors[0].field).toBe('body.deskId');
    expect((await refused(ADMIN, 'POST', '/desks', bavetDesk, 409)).rule).toBe('desk-already-registered');
    expect((await refused(ADMIN, 'PUT', '/desks/kh-nowhere/keys', { keys: secondKeys }, 404)).rule).toBe('desk-not-registered');
  });

  it('rotates keys without downtime: old and new together, then the new alone', async () => {
    const overlap = await call(ADMIN, 'PUT', '/desks/kh-bavet/keys', { keys: overlapKeys }, { 'if-match': '"0"' });
    expect(overlap.status, JSON.stringify(overlap.body)).toBe(200);
    expect(overlap.body.keys).toEqual(overlapKeys);
    expect(overlap.headers.etag).toBe('"1"');
    expect((await call(null, 'GET', '/desks/kh-bavet/jwks.json')).body).toEqual(overlapKeys);

    await refused(ADMIN, 'PUT', '/desks/kh-bavet/keys', { keys: secondKeys }, 412, { 'if-match': '"0"' });
    const dropped = await call(ADMIN, 'PUT', '/desks/kh-bavet/keys', { keys: secondKeys }, { 'if-match': '"1"' });
    expect(dropped.status, JSON.stringify(dropped.body)).toBe(200);
    const jwks = await call(null, 'GET', '/desks/kh-bavet/jwks.json');
    expect(jwks.status).toBe(200);
    expect(jwks.body).toEqual(secondKeys);

    const rotations = (await deskEvents()).filter((event) => event.type === 'liaison.DeskKeysRotated').map((event) => event.data);
    expect(rotations).toEqual([
      { deskId: 'kh-bavet', keys: overlapKeys, retiredKids: [] },
      { deskId: 'kh-bavet', keys: secondKeys, retiredKids: ['bavet-sig-1', 'bavet-enc-1'] },
    ]);
    const reused = keySet(publicKey('bavet-sig-1', 'sig', 'another key'), ...secondKeys.keys);
    expect((await refused(ADMIN, 'PUT', '/desks/kh-bavet/keys', { keys: reused }, 422)).rule).toBe('kid-reused');
    expect((await refused(ADMIN, 'PUT', '/desks/kh-bavet/keys', { keys: secondKeys }, 422)).rule).toBe('key-set-unchanged');
    expect((await refused(null, 'GET', '/desks/kh-nowhere/jwks.json', undefined, 404)).status).toBe(404);
  });

  it('changes a desk profile, which the handover routing then follows', async () => {
    const { deskId: _deskId, keys: _keys, ...profile } = bavetDesk;
    const changed = await call(ADMIN, 'PUT', '/desks/kh-bavet/profile', { ...profile, borderGates: ['Mộc Bài', 'Xa Mát'] });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(changed.body.borderGates).toEqual(['Mộc Bài', 'Xa Mát']);
    expect((await directory.forHandover('KH', 'Xa Mát')).map((desk) => desk.deskId)).toEqual(['kh-bavet']);
    expect(await directory.forHandover('KH', 'Tịnh Biên')).toEqual([]);
    expect((await directory.forHandover('KH', undefined)).map((desk) => desk.deskId)).toEqual(['kh-bavet']);
    expect(await directory.forHandover('LA', undefined)).toEqual([]);
    expect((await refused(ADMIN, 'PUT', '/desks/kh-bavet/profile', { ...profile, borderGates: ['Lao Bảo'] }, 422)).rule).toBe('gate-not-on-border');
  });

  it('answers a request replayed with its Idempotency-Key with the first result, writing nothing twice', async () => {
    const headers = { 'idempotency-key': newId() };
    const desk = { ...bavetDesk, deskId: 'kh-tinh-bien', borderGates: [], name: 'Border liaison office at Phnom Den' };
    const first = await call(ADMIN, 'POST', '/desks', desk, headers);
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    const head = await store.headPosition();
    const again = await call(ADMIN, 'POST', '/desks', desk, headers);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(await store.headPosition()).toBe(head);
    expect(await deskEvents('kh-tinh-bien')).toHaveLength(1);
    // A desk of every gate receives handovers at any gate of its country.
    expect((await directory.forHandover('KH', 'Tịnh Biên')).map((found) => found.deskId)).toEqual(['kh-tinh-bien']);
  });

  it('documents the routes in the OpenAPI document', async () => {
    const document = app.swagger() as { paths: Record<string, Record<string, unknown>> };
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/v1/liaison/desks', '/v1/liaison/desks/{deskId}', '/v1/liaison/desks/{deskId}/profile', '/v1/liaison/desks/{deskId}/keys', '/v1/liaison/desks/{deskId}/jwks.json']));
  });
});
