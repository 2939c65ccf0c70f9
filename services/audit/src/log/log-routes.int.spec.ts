// The verifiable log's endpoints on a running backbone (intake writes, audit archives over the
// bus): heads verify against the published JWKS, proofs from the endpoints verify with the RFC
// 9162 algorithms, an older head is consistent with a newer one, and forgeries fail.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compactVerify, createLocalJWKSet } from 'jose';
import type { JSONWebKeySet } from 'jose';
import { canonicalize, newId } from '@nrm/contracts';
import { eventually, startAgencyTestApp } from '@nrm/agency-kit/testing';
import type { AgencyTestApp } from '@nrm/agency-kit/testing';
import { intakeService } from '@nrm/intake';
import { auditService } from '../index.ts';
import { MerkleLog, leafHash } from '../merkle/merkle-log.ts';
import { verifyConsistency, verifyInclusion } from '../merkle/merkle-proofs.ts';
import { TREE_HEAD_TYPE } from './tree-head.ts';
import type { SignedTreeHead } from './tree-head.ts';

let backbone: AgencyTestApp;
let auditor: string;
beforeAll(async () => {
  backbone = await startAgencyTestApp([intakeService, auditService]);
  auditor = await backbone.token('audit', ['auditor']);
});
afterAll(async () => backbone?.close());

const b64 = (text: string) => Buffer.from(text, 'base64');

async function get(url: string, token: string | null = auditor) {
  const response = await backbone.app.inject({ method: 'GET', url, headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: response.statusCode, body: response.json(), contentType: String(response.headers['content-type']) };
}

/** Receives a tip and waits until the audit archive holds its event; returns the event id. */
async function archivedTip(): Promise<string> {
  const received = await backbone.call('intake', 'POST', '/v1/intake/tips', { channel: 'police', province: 'Tây Ninh', allegedPlace: { country: 'KH' }, statement: 'A worker was lured to a casino in Bavet.' });
  const caseId = received.body.caseId as string;
  return eventually(async () => {
    const answer = await get(`/v1/audit/cases/${caseId}/events`);
    expect(answer.status).toBe(200);
    return answer.body.events[0].id as string;
  });
}

async function verifiedHead(head: SignedTreeHead): Promise<boolean> {
  const jwks = (await get('/v1/audit/.well-known/jwks.json', null)).body as JSONWebKeySet;
  try {
    const { payload, protectedHeader } = await compactVerify(head.signature, createLocalJWKSet(jwks));
    const { signature: _signature, ...fields } = head;
    return protectedHeader.typ === TREE_HEAD_TYPE && protectedHeader.kid === head.logId && new TextDecoder().decode(payload) === canonicalize(fields);
  } catch {
    return false;
  }
}

describe('the verifiable log over HTTP', () => {
  it('publishes the JWKS and a signed tree head without a token; the head verifies against the JWKS', async () => {
    await archivedTip();
    const jwks = await get('/v1/audit/.well-known/jwks.json', null);
    expect(jwks.status).toBe(200);
    expect(jwks.body.keys).toHaveLength(1);
    expect(jwks.body.keys[0]).not.toHaveProperty('d');
    const head = await get('/v1/audit/log/tree-head', null);
    expect(head.status).toBe(200);
    expect(head.body.treeSize).toBeGreaterThanOrEqual(1);
    expect(head.body.logId).toBe(jwks.body.keys[0].kid);
    expect(await verifiedHead(head.body)).toBe(true);
    expect(await verifiedHead({ ...head.body, treeSize: head.body.treeSize + 1 })).toBe(false);
    const [protectedHeader, payload, signature] = (head.body.signature as string).split('.');
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(b64(payload!).toString()), rootHash: randomBytes(32).toString('base64') })).toString('base64url');
    expect(await verifiedHead({ ...head.body, signature: `${protectedHeader}.${forged}.${signature}` })).toBe(false);
  });

  it('proves an event is in the current tree and in an older head that covers it', async () => {
    const eventId = await archivedTip();
    const older = (await get('/v1/audit/log/tree-head', null)).body as SignedTreeHead;
    await archivedTip();
    const head = (await get('/v1/audit/log/tree-head', null)).body as SignedTreeHead;
    expect(head.treeSize).toBeGreaterThan(older.treeSize);
    for (const { treeSize, rootHash } of [head, older]) {
      const proof = await get(`/v1/audit/log/proofs/inclusion?eventId=${eventId}&treeSize=${treeSize}`);
      expect(proof.status).toBe(200);
      expect(proof.body).toMatchObject({ eventId, treeSize });
      expect(JSON.parse(proof.body.envelope).id).toBe(eventId);
      expect(leafHash(proof.body.envelope).toString('base64')).toBe(proof.body.leafHash);
      const path = (proof.body.auditPath as string[]).map(b64);
      expect(verifyInclusion(b64(proof.body.leafHash), proof.body.leafIndex, treeSize, path, b64(rootHash))).toBe(true);
      expect(verifyInclusion(leafHash(`${proof.body.envelope} `), proof.body.leafIndex, treeSize, path, b64(rootHash))).toBe(false);
      if (path.length > 0) expect(verifyInclusion(b64(proof.body.leafHash), proof.body.leafIndex, treeSize, [randomBytes(32), ...path.slice(1)], b64(rootHash))).toBe(false);
    }
    const earlier = await get(`/v1/audit/log/tree-head?treeSize=${older.treeSize}`, null);
    expect(earlier.body.rootHash).toBe(older.rootHash);
    expect(await verifiedHead(earlier.body)).toBe(true);
  });

  it('proves an older head consistent with a newer one; a forged proof or a head of another history fails', async () => {
    await archivedTip();
    const older = (await get('/v1/audit/log/tree-head', null)).body as SignedTreeHead;
    await archivedTip();
    await archivedTip();
    const newer = (await get('/v1/audit/log/tree-head', null)).body as SignedTreeHead;
    const answer = await get(`/v1/audit/log/proofs/consistency?first=${older.treeSize}&second=${newer.treeSize}`);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ first: older.treeSize, second: newer.treeSize });
    const proof = (answer.body.proof as string[]).map(b64);
    expect(verifyConsistency(older.treeSize, newer.treeSize, b64(older.rootHash), b64(newer.rootHash), proof)).toBe(true);

    const forged = proof.map((hash, i) => (i === proof.length - 1 ? randomBytes(32) : hash));
    expect(verifyConsistency(older.treeSize, newer.treeSize, b64(older.rootHash), b64(newer.rootHash), forged)).toBe(false);
    const otherHistory = new MerkleLog();
    for (let i = 0; i < older.treeSize; i++) otherHistory.append(leafHash(`another history ${i}`));
    expect(verifyConsistency(older.treeSize, newer.treeSize, otherHistory.root(), b64(newer.rootHash), proof)).toBe(false);
    expect(verifyConsistency(older.treeSize, newer.treeSize, b64(older.rootHash), randomBytes(32), proof)).toBe(false);
  });

  it('answers bad requests with problem+json', async () => {
    await archivedTip();
    const eventId = await archivedTip();
    const { treeSize } = (await get('/v1/audit/log/tree-head', null)).body as SignedTreeHead;
    const cases: [string, number, string | null][] = [
      [`/v1/audit/log/proofs/inclusion?eventId=${newId()}`, 404, 'not-found'],
      [`/v1/audit/log/proofs/inclusion?eventId=not-an-id`, 400, 'validation'],
      [`/v1/audit/log/proofs/inclusion?eventId=${eventId}&treeSize=${treeSize + 1000}`, 422, 'log-range'],
      [`/v1/audit/log/proofs/consistency?first=${treeSize}&second=${treeSize + 1000}`, 422, 'log-range'],
      [`/v1/audit/log/proofs/consistency?first=${treeSize}&second=1`, treeSize > 1 ? 422 : 200, treeSize > 1 ? 'log-range' : null],
      ['/v1/audit/log/proofs/consistency?first=0', 400, 'validation'],
      ['/v1/audit/log/proofs/consistency?first=abc', 400, 'validation'],
      [`/v1/audit/log/tree-head?treeSize=${treeSize + 1000}`, 422, 'log-range'],
      ['/v1/audit/log/tree-head?treeSize=-1', 400, 'validation'],
    ];
    for (const [url, status, slug] of cases) {
      const answer = await get(url);
      expect(answer.status, url).toBe(status);
      if (slug) {
        expect(answer.contentType, url).toContain('application/problem+json');
        expect(answer.body.type, url).toContain(slug);
      }
    }
    const { leafIndex } = (await get(`/v1/audit/log/proofs/inclusion?eventId=${eventId}`)).body as { leafIndex: number };
    const uncovered = await get(`/v1/audit/log/proofs/inclusion?eventId=${eventId}&treeSize=${leafIndex}`);
    expect(uncovered.status).toBe(422);
    expect(uncovered.body.detail).toContain(`is leaf ${leafIndex}, after the tree of ${leafIndex} leaves`);
    expect((await get(`/v1/audit/log/proofs/inclusion?eventId=${eventId}`, null)).status).toBe(401);
    expect((await get(`/v1/audit/log/proofs/consistency?first=1`, await backbone.token('intake', ['clerk']))).status).toBe(403);
  });
});
