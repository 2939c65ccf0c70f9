// Handover packets end to end on a real embedded backbone: a Cambodian desk registered over the
// API, rescue's and protection's facts on the log, the liaison worker packing them. The desk's
// side is played with `jose` alone: page the feed, verify the packet against the published JWKS,
// decrypt the personal data with the desk's own key.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CompactSign, compactDecrypt, compactVerify, createLocalJWKSet, exportJWK, generateKeyPair } from 'jose';
import type { CryptoKey, JWK } from 'jose';
import { eventRegistry, newId, sha256Hex } from '@nrm/contracts';
import type { Agency, NewEvent } from '@nrm/contracts';
import { eventually, startAgencyTestApp } from '@nrm/agency-kit/testing';
import type { AgencyTestApp } from '@nrm/agency-kit/testing';
import { liaisonService } from '../index.ts';
import { HandoverPacketSchema } from './packet.ts';
import { handoverStream } from './packet-issuer.ts';

let backbone: AgencyTestApp;
let deskDecryptionKey: CryptoKey;
const deskId = 'kh-bavet';
const caseId = newId();
const personId = newId();
const handoverId = newId();
const consentId = newId();

async function deskKeys(prefix: string): Promise<{ jwks: { keys: JWK[] }; decryption: CryptoKey; signing: CryptoKey }> {
  const signing = await generateKeyPair('Ed25519', { extractable: true });
  const encryption = await generateKeyPair('ECDH-ES', { crv: 'X25519', extractable: true });
  return {
    jwks: {
      keys: [
        { ...(await exportJWK(signing.publicKey)), kid: `${prefix}-sig`, use: 'sig' },
        { ...(await exportJWK(encryption.publicKey)), kid: `${prefix}-enc`, use: 'enc' },
      ],
    },
    decryption: encryption.privateKey,
    signing: signing.privateKey,
  };
}


async function request(token: string, method: 'GET' | 'POST', url: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await backbone.app.inject({ method, url, headers: { authorization: `Bearer ${token}`, ...headers }, ...(body === undefined ? {} : { payload: body as object }) });
  return { status: response.statusCode, body: response.body ? JSON.parse(response.body) : undefined };
}

/** Appends a fact of another agency as that agency's service would have recorded it. */
async function fact(agency: Agency, stream: string, type: string, data: Record<string, unknown>): Promise<void> {
  const checked = eventRegistry.check(type, 1, data);
  if (!checked.ok) throw new Error(`${type}: ${JSON.stringify(checked.issues)}`);
  const event: NewEvent = { id: newId(), type, schemaVersion: 1, occurredAt: new Date().toISOString(), agency, actor: `${agency}-officer`, caseId, causationId: null, traceparent: null, data };
  await backbone.store.append(stream, [event]);
}

const handoverFacts = () => ({ handoverId, toCountry: 'KH', borderGate: 'Mộc Bài', persons: [{ personId, sex: 'female', ageGroup: '16-17', child: true, nationality: 'KH' }], needs: ['escort', 'child-protection-officer'] });

async function feed(token: string, after = 0) {
  return request(token, 'GET', `/v1/liaison/desks/${deskId}/feed?after=${after}`);
}

let deskToken: string;
let deskSigning: CryptoKey;

beforeAll(async () => {
  backbone = await startAgencyTestApp([liaisonService]);
  const keys = await deskKeys('kh-bavet-2026');
  deskDecryptionKey = keys.decryption;
  deskSigning = keys.signing;
  const admin = await backbone.token('liaison', ['standing-office-admin']);
  const registered = await request(admin, 'POST', '/v1/liaison/desks', {
    deskId,
    country: 'KH',
    name: 'Border liaison office, Bavet',
    borderGates: ['Mộc Bài'],
    language: 'km',
    fieldProfile: ['fullName', 'dateOfBirth'],
    contact: { office: 'Svay Rieng provincial police, anti-trafficking office' },
    keys: keys.jwks,
  });
  expect(registered.status).toBe(201);
  deskToken = await backbone.tokenFor({ subject: deskId, roles: ['desk'], country: 'KH' });
});
afterAll(async () => backbone?.close());

describe('handover packets for a desk', () => {
  it('packs a planned handover: signed by the backbone, personal data encrypted to the desk, within consent and the field profile', async () => {
    const sealed = {
      fullName: await backbone.vault.seal(personId, 'Sok Dara', { field: 'fullName' }),
      dateOfBirth: await backbone.vault.seal(personId, '2009-04-02', { field: 'dateOfBirth' }),
      phone: await backbone.vault.seal(personId, '+855 12 345 678', { field: 'phone' }),
    };
    await fact('rescue', `rescue-case-${caseId}`, 'rescue.PersonsRecovered', { rescueId: newId(), persons: [{ personId, person: sealed, sex: 'female', ageGroup: '16-17', child: true, nationality: 'KH' }] });
    await fact('protection', `protection-case-${caseId}`, 'protection.ConsentRecorded', { personId, consentId, scopes: ['handover', 'data-sharing'], givenBy: 'parent-or-guardian', form: 'written' });
    await fact('rescue', `rescue-case-${caseId}`, 'rescue.HandoverPlanned', { ...handoverFacts(), date: '2026-12-03' });

    const page = await eventually(async () => {
      const answer = await feed(deskToken);
      expect(answer.status).toBe(200);
      expect(answer.body.items).toHaveLength(1);
      return answer.body;
    });
    const item = page.items[0];
    expect(item).toMatchObject({ seq: 1, stage: 'planned', handoverId });

    const jwks = (await backbone.app.inject({ method: 'GET', url: '/v1/liaison/.well-known/jwks.json' })).json();
    const verified = await compactVerify(item.packet, createLocalJWKSet(jwks));
    expect(verified.protectedHeader).toMatchObject({ alg: 'EdDSA', typ: 'nrm-handover-packet+jws' });
    const packet = HandoverPacketSchema.parse(JSON.parse(new TextDecoder().decode(verified.payload)));
    expect(packet).toMatchObject({ deskId, country: 'KH', caseId, handoverId, stage: 'planned', handover: { date: '2026-12-03', borderGate: 'Mộc Bài', personCount: 1, childCount: 1 }, summary: { lang: 'km' } });
    expect(packet.summary.text).toContain('Mộc Bài');

    const person = packet.persons[0]!;
    expect(person.withheld).toBeUndefined();
    const opened = await compactDecrypt(person.personalData!, deskDecryptionKey);
    expect(opened.protectedHeader).toMatchObject({ alg: 'ECDH-ES', enc: 'A256GCM', kid: 'kh-bavet-2026-enc' });
    // The phone was sealed too, but this desk's profile does not include it.
    expect(JSON.parse(new TextDecoder().decode(opened.plaintext))).toEqual({ packetId: packet.packetId, personId, fields: { fullName: 'Sok Dara', dateOfBirth: '2009-04-02' } });

    const recorded = (await backbone.store.readStream(handoverStream(handoverId))).map((event) => event.data);
    expect(recorded).toEqual([expect.objectContaining({ packetId: packet.packetId, packetSha256: sha256Hex(item.packet), shared: [{ personId, fields: ['fullName', 'dateOfBirth'] }], withheld: [] })]);
  });

  it('a packet changed by one byte no longer verifies', async () => {
    const [item] = (await feed(deskToken)).body.items;
    const jwks = (await backbone.app.inject({ method: 'GET', url: '/v1/liaison/.well-known/jwks.json' })).json();
    const [header, payload, signature] = (item.packet as string).split('.') as [string, string, string];
    const bytes = Buffer.from(payload, 'base64url');
    bytes[10] = bytes[10]! ^ 0x01;
    await expect(compactVerify(`${header}.${bytes.toString('base64url')}.${signature}`, createLocalJWKSet(jwks))).rejects.toThrow();
    // A desk cannot forge one either: its own signature is not the backbone's.
    const forged = await new CompactSign(bytes).setProtectedHeader({ alg: 'EdDSA', kid: jwks.keys[0].kid }).sign(deskSigning);
    await expect(compactVerify(forged, createLocalJWKSet(jwks))).rejects.toThrow();
  });

  it("another desk's token, an agency's token and no token get nothing of the feed", async () => {
    const other = await backbone.tokenFor({ subject: 'kh-chrey-thom', roles: ['desk'], country: 'KH' });
    const sameCountryOtherDesk = await feed(other);
    expect(sameCountryOtherDesk.status).toBe(404);
    expect(JSON.stringify(sameCountryOtherDesk.body)).not.toContain(handoverId);
    expect((await feed(await backbone.token('rescue', ['supervisor']))).status).toBe(404);
    expect((await backbone.app.inject({ method: 'GET', url: `/v1/liaison/desks/${deskId}/feed` })).statusCode).toBe(401);
  });

  it('after consent to the handover is withdrawn, later packets carry no personal data and say why', async () => {
    await fact('protection', `protection-case-${caseId}`, 'protection.ConsentWithdrawn', { personId, consentId, scopes: ['handover'] });
    await fact('rescue', `rescue-case-${caseId}`, 'rescue.HandoverScheduled', { ...handoverFacts(), date: '2026-12-04' });
    const item = await eventually(async () => {
      const items = (await feed(deskToken, 1)).body.items;
      expect(items).toHaveLength(1);
      return items[0];
    });
    const packet = JSON.parse(Buffer.from(item.packet.split('.')[1], 'base64url').toString('utf8'));
    expect(packet.persons[0]).toMatchObject({ personId, withheld: 'consent-withdrawn' });
    expect(packet.persons[0].personalData).toBeUndefined();
    const issued = (await backbone.store.readStream(handoverStream(handoverId))).at(-1)!;
    expect(issued.data).toMatchObject({ stage: 'scheduled', shared: [], withheld: [{ personId, reason: 'consent-withdrawn' }] });
  });

  it('SSE: a desk that reconnects with Last-Event-ID gets what it missed, once', async () => {
    const address = await backbone.app.listen({ port: 0, host: '127.0.0.1' });
    const read = async (lastEventId: string | undefined, wanted: number) => {
      const stop = new AbortController();
      const response = await fetch(`${address}/v1/liaison/desks/${deskId}/feed/stream`, { headers: { authorization: `Bearer ${deskToken}`, ...(lastEventId ? { 'last-event-id': lastEventId } : {}) }, signal: stop.signal });
      expect(response.headers.get('content-type')).toContain('text/event-stream');
      const reader = response.body!.getReader();
      let text = '';
      const ids: string[] = [];
      const deadline = Date.now() + 5000;
      while (ids.length < wanted && Date.now() < deadline) {
        const { value, done } = await reader.read();
        if (done) break;
        text += new TextDecoder().decode(value);
        ids.splice(0, ids.length, ...[...text.matchAll(/^id: (\d+)$/gm)].map((match) => match[1]!));
      }
      stop.abort();
      return ids;
    };
    expect(await read(undefined, 2)).toEqual(['1', '2']);
    // Disconnected after packet 1; meanwhile packet 3 is issued.
    await fact('rescue', `rescue-case-${caseId}`, 'rescue.HandoverCompleted', { ...handoverFacts(), date: '2026-12-04', receivedBy: 'Svay Rieng provincial police' });
    expect(await read('1', 2)).toEqual(['2', '3']);
  });

  it('takes the desk’s signed acknowledgement into the handover’s history, once; refuses an unregistered key and other bytes', async () => {
    const [item] = (await feed(deskToken)).body.items;
    const ack = (payload: Record<string, unknown>, key: CryptoKey = deskSigning, kid = 'kh-bavet-2026-sig') =>
      new CompactSign(new TextEncoder().encode(JSON.stringify({ packetId: item.packetId, packetSha256: sha256Hex(item.packet), acknowledgedAt: new Date().toISOString(), ...payload })))
        .setProtectedHeader({ alg: 'EdDSA', kid, typ: 'nrm-handover-ack+jws' })
        .sign(key);
    const post = (jws: string, token = deskToken) => request(token, 'POST', `/v1/liaison/desks/${deskId}/acknowledgements`, { jws });

    const received = await ack({ kind: 'person-received', personId });
    const accepted = await post(received);
    expect(accepted.status).toBe(201);
    expect((await post(received)).body).toMatchObject({ duplicate: true, eventId: accepted.body.eventId });
    const acks = (await backbone.store.readStream(handoverStream(handoverId))).filter((event) => event.type === 'liaison.HandoverAcknowledged');
    expect(acks.map((event) => event.data)).toEqual([expect.objectContaining({ packetId: item.packetId, kind: 'person-received', personId, kid: 'kh-bavet-2026-sig', jws: received })]);
    expect(acks[0]!.caseId).toBe(caseId);

    const stranger = await deskKeys('kh-stranger');
    expect((await post(await ack({ kind: 'received' }, stranger.signing, 'kh-stranger-sig'))).body).toMatchObject({ status: 422, rule: 'ack-key-not-registered' });
    expect((await post(await ack({ kind: 'received' }, stranger.signing))).body).toMatchObject({ status: 422, rule: 'ack-signature-invalid' });
    expect((await post(await ack({ kind: 'received', packetSha256: 'b'.repeat(64) }))).body).toMatchObject({ status: 422, rule: 'ack-packet-mismatch' });
    expect((await post(await ack({ kind: 'discrepancy' }))).body).toMatchObject({ status: 422, rule: 'ack-reason-required' });
    expect((await post(await ack({ kind: 'person-received', personId: newId() }))).body).toMatchObject({ status: 422, rule: 'ack-person-not-in-packet' });
    const untyped = await new CompactSign(new TextEncoder().encode(JSON.stringify({ packetId: item.packetId, packetSha256: sha256Hex(item.packet), acknowledgedAt: new Date().toISOString(), kind: 'received' }))).setProtectedHeader({ alg: 'EdDSA', kid: 'kh-bavet-2026-sig' }).sign(deskSigning);
    expect((await post(untyped)).body).toMatchObject({ status: 422, rule: 'ack-type-invalid' });
    const other = await backbone.tokenFor({ subject: 'kh-chrey-thom', roles: ['desk'], country: 'KH' });
    expect((await post(received, other)).status).toBe(404);
    expect((await backbone.store.readStream(handoverStream(handoverId))).filter((event) => event.type === 'liaison.HandoverAcknowledged')).toHaveLength(1);

    const receipt = await request(await backbone.token('audit', ['auditor']), 'GET', `/v1/liaison/packets/${item.packetId}/receipt`);
    expect(receipt.body).toMatchObject({ packetId: item.packetId, packet: item.packet, acknowledgements: [received] });
    await compactVerify(receipt.body.packet, createLocalJWKSet(receipt.body.backboneKeys));
    await compactVerify(receipt.body.acknowledgements[0], createLocalJWKSet(receipt.body.deskKeys));
    expect((await request(other, 'GET', `/v1/liaison/packets/${item.packetId}/receipt`)).status).toBe(404);
  });
});
