// The example desk's checks, against packets signed and encrypted here as the backbone does
// (EdDSA JWS over canonical JSON, ECDH-ES/A256GCM JWE per person): a good packet opens; one
// changed byte, another type, another desk or personal data lifted from another packet do not.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CompactEncrypt, CompactSign, compactVerify, exportJWK, generateKeyPair, importJWK } from 'jose';
import type { CryptoKey, JSONWebKeySet } from 'jose';
import { generateDeskKeys, publicJwkOf, readDeskKeys, writeDeskKeys } from './desk-client-keys.ts';
import type { DeskJwk } from './desk-client-keys.ts';
import { packetSha256, signAcknowledgement, verifyPacket } from './desk-client-packets.ts';
import type { FeedItem } from './desk-client-packets.ts';

const deskId = 'kh-bavet';
const personId = '01KAAAAAAAAAAAAAAAAAAAAAAA';
let deskKeys: DeskJwk[];
let backboneKey: CryptoKey;
let backboneKeys: JSONWebKeySet;

async function personalData(packetId: string, fields: Record<string, string>): Promise<string> {
  const enc = publicJwkOf(deskKeys.find((key) => key.use === 'enc')!);
  return new CompactEncrypt(new TextEncoder().encode(JSON.stringify({ packetId, personId, fields })))
    .setProtectedHeader({ alg: 'ECDH-ES', enc: 'A256GCM', kid: enc.kid, typ: 'nrm-person-data+jwe', cty: 'json' })
    .encrypt(await importJWK({ ...enc, alg: 'ECDH-ES' }, 'ECDH-ES'));
}

async function feedItem(options: { packetId?: string; desk?: string; typ?: string; data?: string } = {}): Promise<FeedItem> {
  const packetId = options.packetId ?? '01KBBBBBBBBBBBBBBBBBBBBBBB';
  const packet = { deskId: options.desk ?? deskId, packetId, persons: [{ personId, sex: 'female', personalData: options.data ?? (await personalData(packetId, { fullName: 'Chan Sreymom' })) }], stage: 'planned' };
  const jws = await new CompactSign(new TextEncoder().encode(JSON.stringify(packet))).setProtectedHeader({ alg: 'EdDSA', kid: 'backbone-1', typ: options.typ ?? 'nrm-handover-packet+jws' }).sign(backboneKey);
  return { seq: 1, packetId, handoverId: '01KCCCCCCCCCCCCCCCCCCCCCCC', stage: 'planned', issuedAt: '2026-11-24T00:00:00.000Z', acknowledgeBy: '2026-11-27T00:00:00.000Z', packet: jws };
}

const dir = mkdtempSync(join(tmpdir(), 'nrm-desk-client-'));

beforeAll(async () => {
  deskKeys = await generateDeskKeys(deskId, new Date('2026-11-24T00:00:00Z'));
  const backbone = await generateKeyPair('Ed25519', { extractable: true });
  backboneKey = backbone.privateKey;
  backboneKeys = { keys: [{ ...(await exportJWK(backbone.publicKey)), kid: 'backbone-1', alg: 'EdDSA', use: 'sig' }] };
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the example desk client', () => {
  it('makes a signing and an encryption key, keeps the private ones 0600 and never overwrites them', async () => {
    expect(deskKeys.map(({ kid, use, crv }) => ({ kid, use, crv }))).toEqual([
      { kid: 'kh-bavet-sig-202611', use: 'sig', crv: 'Ed25519' },
      { kid: 'kh-bavet-enc-202611', use: 'enc', crv: 'X25519' },
    ]);
    const files = writeDeskKeys(dir, deskId, deskKeys);
    expect(statSync(files.privateFile).mode & 0o777).toBe(0o600);
    expect(readDeskKeys(files.privateFile)).toEqual(deskKeys);
    expect(JSON.parse(readFileSync(files.publicFile, 'utf8')).keys.some((key: object) => 'd' in key)).toBe(false);
    expect(() => writeDeskKeys(dir, deskId, deskKeys)).toThrow(/not overwritten/);
  });

  it('verifies a packet and opens its personal data', async () => {
    const item = await feedItem();
    const verified = await verifyPacket(item, deskId, backboneKeys, deskKeys);
    expect(verified).toMatchObject({ signedBy: 'backbone-1', packetSha256: packetSha256(item.packet) });
    expect(verified.packet.persons).toEqual([{ personId, sex: 'female', fields: { fullName: 'Chan Sreymom' } }]);
  });

  it('does not trust a changed byte, another type, another desk, or personal data lifted from another packet', async () => {
    const item = await feedItem();
    const [header, payload, signature] = item.packet.split('.') as [string, string, string];
    const bytes = Buffer.from(payload, 'base64url');
    bytes[5] = bytes[5]! ^ 1;
    await expect(verifyPacket({ ...item, packet: `${header}.${bytes.toString('base64url')}.${signature}` }, deskId, backboneKeys, deskKeys)).rejects.toThrow(/signature does not verify/);
    await expect(verifyPacket(await feedItem({ typ: 'JWT' }), deskId, backboneKeys, deskKeys)).rejects.toThrow(/typ is JWT/);
    await expect(verifyPacket(await feedItem({ desk: 'kh-chrey-thom' }), deskId, backboneKeys, deskKeys)).rejects.toThrow(/addressed to desk kh-chrey-thom/);
    const lifted = await personalData('01KDDDDDDDDDDDDDDDDDDDDDDD', { fullName: 'Someone else' });
    await expect(verifyPacket(await feedItem({ data: lifted }), deskId, backboneKeys, deskKeys)).rejects.toThrow(/belongs to packet 01KDDDDDDDDDDDDDDDDDDDDDDD/);
  });

  it('signs an acknowledgement naming the packet and the digest of its bytes', async () => {
    const item = await feedItem();
    const jws = await signAcknowledgement(item, { kind: 'person-received', personId }, deskKeys, new Date('2026-11-24T01:00:00Z'));
    const sig = publicJwkOf(deskKeys[0]!);
    const { payload, protectedHeader } = await compactVerify(jws, await importJWK({ ...sig, alg: 'EdDSA' }, 'EdDSA'));
    expect(protectedHeader).toEqual({ alg: 'EdDSA', kid: 'kh-bavet-sig-202611', typ: 'nrm-handover-ack+jws' });
    expect(JSON.parse(new TextDecoder().decode(payload))).toEqual({ packetId: item.packetId, packetSha256: packetSha256(item.packet), kind: 'person-received', personId, acknowledgedAt: '2026-11-24T01:00:00.000Z' });
  });
});
