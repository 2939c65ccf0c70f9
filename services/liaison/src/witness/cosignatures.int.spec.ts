// A desk witnesses the audit log: it countersigns a signed tree head; the backbone checks both
// signatures, keeps the cosignature in the log and serves it to anyone. A head the audit did not
// sign, or a key the desk did not register, is refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CompactSign, exportJWK, generateKeyPair } from 'jose';
import type { CryptoKey } from 'jose';
import { auditService, leafHash, verifyInclusion } from '@nrm/audit';
import { eventRegistry, newId, sha256Hex } from '@nrm/contracts';
import type { NewEvent } from '@nrm/contracts';
import { eventually, startAgencyTestApp } from '@nrm/agency-kit/testing';
import type { AgencyTestApp } from '@nrm/agency-kit/testing';
import { liaisonService } from '../index.ts';

let backbone: AgencyTestApp;
let deskToken: string;
let signing: CryptoKey;
const deskId = 'la-cau-treo';

async function request(token: string | null, method: 'GET' | 'POST', url: string, body?: unknown) {
  const response = await backbone.app.inject({ method, url, headers: token ? { authorization: `Bearer ${token}` } : {}, ...(body === undefined ? {} : { payload: body as object }) });
  return { status: response.statusCode, body: response.body ? JSON.parse(response.body) : undefined };
}

const cosign = (head: unknown, key: CryptoKey = signing, kid = 'la-sig') => new CompactSign(new TextEncoder().encode(JSON.stringify(head))).setProtectedHeader({ alg: 'EdDSA', kid, typ: 'nrm-tree-head-cosignature+jws' }).sign(key);

beforeAll(async () => {
  backbone = await startAgencyTestApp([auditService, liaisonService]);
  const sig = await generateKeyPair('Ed25519', { extractable: true });
  const enc = await generateKeyPair('ECDH-ES', { crv: 'X25519', extractable: true });
  signing = sig.privateKey;
  const admin = await backbone.token('liaison', ['standing-office-admin']);
  const registered = await request(admin, 'POST', '/v1/liaison/desks', {
    deskId,
    country: 'LA',
    name: 'Border liaison office, Nam Phao',
    borderGates: ['Cầu Treo'],
    language: 'lo',
    fieldProfile: [],
    contact: { office: 'Bolikhamxay provincial police' },
    keys: { keys: [{ ...(await exportJWK(sig.publicKey)), kid: 'la-sig', use: 'sig' }, { ...(await exportJWK(enc.publicKey)), kid: 'la-enc', use: 'enc' }] },
  });
  expect(registered.status).toBe(201);
  deskToken = await backbone.tokenFor({ subject: deskId, roles: ['desk'], country: 'LA' });
});
afterAll(async () => backbone?.close());

describe('tree-head cosignatures', () => {
  it('keeps a desk’s cosignature of a signed tree head, once, and serves it publicly', async () => {
    const head = await eventually(async () => {
      const answer = await request(null, 'GET', '/v1/audit/log/tree-head');
      expect(answer.body.treeSize).toBeGreaterThan(0);
      return answer.body;
    });
    const jws = await cosign(head);
    const posted = await request(deskToken, 'POST', `/v1/liaison/desks/${deskId}/cosignatures`, { jws });
    expect(posted.status).toBe(201);
    expect(posted.body.cosignature).toEqual({ deskId, treeSize: head.treeSize, rootHash: head.rootHash, kid: 'la-sig' });
    expect((await request(deskToken, 'POST', `/v1/liaison/desks/${deskId}/cosignatures`, { jws })).body).toMatchObject({ duplicate: true });

    const served = await request(null, 'GET', `/v1/liaison/cosignatures?treeSize=${head.treeSize}`);
    expect(served.body.cosignatures).toEqual([expect.objectContaining({ deskId, treeSize: head.treeSize, rootHash: head.rootHash, jws })]);
  });

  it('refuses a head the audit log did not sign, a key the desk did not register, and another desk', async () => {
    const head = (await request(null, 'GET', '/v1/audit/log/tree-head')).body;
    const forgedRoot = { ...head, rootHash: Buffer.alloc(32, 7).toString('base64') };
    expect((await request(deskToken, 'POST', `/v1/liaison/desks/${deskId}/cosignatures`, { jws: await cosign(forgedRoot) })).body).toMatchObject({ status: 422, rule: 'tree-head-signature-invalid' });
    const stranger = await generateKeyPair('Ed25519');
    expect((await request(deskToken, 'POST', `/v1/liaison/desks/${deskId}/cosignatures`, { jws: await cosign(head, stranger.privateKey, 'other') })).body).toMatchObject({ status: 422, rule: 'cosignature-key-not-registered' });
    const other = await backbone.tokenFor({ subject: 'la-other', roles: ['desk'], country: 'LA' });
    expect((await request(other, 'POST', `/v1/liaison/desks/${deskId}/cosignatures`, { jws: await cosign(head) })).status).toBe(404);
  });

  it('a desk proves that the log holds its packet: the inclusion proof of the packet’s record, against a signed tree head', async () => {
    const caseId = newId();
    const data = { handoverId: newId(), toCountry: 'LA', borderGate: 'Cầu Treo', persons: [{ personId: newId(), sex: 'male', ageGroup: '18-24', child: false, nationality: 'LA' }], needs: [], date: '2026-12-10' };
    expect(eventRegistry.check('rescue.HandoverPlanned', 1, data).ok).toBe(true);
    const fact: NewEvent = { id: newId(), type: 'rescue.HandoverPlanned', schemaVersion: 1, occurredAt: new Date().toISOString(), agency: 'rescue', actor: 'rescue-officer', caseId, causationId: null, traceparent: null, data };
    await backbone.store.append(`rescue-case-${caseId}`, [fact]);
    const item = await eventually(async () => {
      const items = (await request(deskToken, 'GET', `/v1/liaison/desks/${deskId}/feed`)).body.items;
      expect(items).toHaveLength(1);
      return items[0];
    });
    const proof = await eventually(async () => {
      const answer = await request(deskToken, 'GET', item.inclusionProof);
      expect(answer.status).toBe(200);
      return answer.body;
    });
    const head = (await request(null, 'GET', `/v1/audit/log/tree-head?treeSize=${proof.treeSize}`)).body;
    expect(verifyInclusion(leafHash(proof.envelope), proof.leafIndex, proof.treeSize, proof.auditPath.map((hash: string) => Buffer.from(hash, 'base64')), Buffer.from(head.rootHash, 'base64'))).toBe(true);
    const recorded = JSON.parse(proof.envelope);
    expect(recorded).toMatchObject({ id: item.logEventId, type: 'liaison.HandoverPacketIssued', data: { packetId: item.packetId, packetSha256: sha256Hex(item.packet) } });

    const other = await backbone.tokenFor({ subject: 'la-other', roles: ['desk'], country: 'LA' });
    expect((await request(other, 'GET', item.inclusionProof)).status).toBe(404);
    expect((await request(deskToken, 'GET', `/v1/audit/log/proofs/inclusion?eventId=${fact.id}`)).status).toBe(404);
    expect((await request(await backbone.token('rescue', ['supervisor']), 'GET', item.inclusionProof)).status).toBe(403);
  });
});
