// What a liaison desk does with the backbone's handover packets, written with `jose` and node
// built-ins only (no @nrm code), as a foreign developer would: check each packet's signature
// against the backbone's published JWKS, open each person's encrypted data with the desk's own
// private key, and sign an acknowledgement bound to the exact bytes of the packet received.
import { createHash } from 'node:crypto';
import { CompactSign, compactDecrypt, compactVerify, createLocalJWKSet, importJWK } from 'jose';
import type { JSONWebKeySet } from 'jose';
import type { DeskJwk } from './desk-client-keys.ts';

export const PACKET_TYPE = 'nrm-handover-packet+jws';
export const ACK_TYPE = 'nrm-handover-ack+jws';

export type FeedItem = { seq: number; packetId: string; handoverId: string; stage: string; issuedAt: string; acknowledgeBy: string; packet: string };

type PacketPerson = { personId: string; personalData?: string; withheld?: string; [member: string]: unknown };
export type Packet = { packetId: string; deskId: string; persons: PacketPerson[]; [member: string]: unknown };

export type OpenedPerson = Omit<PacketPerson, 'personalData'> & { fields?: Record<string, unknown> };
export type VerifiedPacket = Omit<FeedItem, 'packet'> & { signedBy: string; packetSha256: string; packet: Omit<Packet, 'persons'> & { persons: OpenedPerson[] } };
export type RejectedPacket = { seq: number; packetId: string; reason: string };

/** The digest an acknowledgement names: SHA-256 (hex) of the compact JWS string exactly as received. */
export function packetSha256(compactJws: string): string {
  return createHash('sha256').update(compactJws, 'utf8').digest('hex');
}

/** The personal data of one person: a JWE (ECDH-ES, A256GCM) to the desk's key named by its kid, naming its packet and person. */
async function openPerson(person: PacketPerson, packetId: string, keys: readonly DeskJwk[]): Promise<OpenedPerson> {
  const { personalData, ...clear } = person;
  if (personalData === undefined) return clear;
  const { kid } = JSON.parse(Buffer.from(personalData.split('.')[0]!, 'base64url').toString('utf8')) as { kid?: string };
  const key = keys.find((candidate) => candidate.use === 'enc' && candidate.kid === kid);
  if (!key) throw new Error(`person ${person.personId}: encrypted to key ${JSON.stringify(kid)}, which this desk does not hold`);
  const { plaintext, protectedHeader } = await compactDecrypt(personalData, await importJWK(key, 'ECDH-ES'), { keyManagementAlgorithms: ['ECDH-ES'], contentEncryptionAlgorithms: ['A256GCM'] });
  if (protectedHeader.typ !== 'nrm-person-data+jwe') throw new Error(`person ${person.personId}: the encrypted data is of type ${String(protectedHeader.typ)}`);
  const opened = JSON.parse(new TextDecoder().decode(plaintext)) as { packetId: string; personId: string; fields: Record<string, unknown> };
  // The encrypted part names its packet and person, so it cannot have been lifted from another packet.
  if (opened.packetId !== packetId || opened.personId !== person.personId) throw new Error(`person ${person.personId}: the encrypted data belongs to packet ${opened.packetId}, person ${opened.personId}`);
  return { ...clear, fields: opened.fields };
}

/** Verifies the packet's signature and type, checks it is addressed to this desk, then opens its persons' data. Throws with the reason otherwise. */
export async function verifyPacket(item: FeedItem, deskId: string, backboneKeys: JSONWebKeySet, deskKeys: readonly DeskJwk[]): Promise<VerifiedPacket> {
  const { payload, protectedHeader } = await compactVerify(item.packet, createLocalJWKSet(backboneKeys), { algorithms: ['EdDSA'] }).catch((error: unknown) => {
    throw new Error(`signature does not verify with the backbone's keys (${(error as Error).message})`);
  });
  if (protectedHeader.typ !== PACKET_TYPE) throw new Error(`typ is ${String(protectedHeader.typ)}, not ${PACKET_TYPE}`);
  const packet = JSON.parse(new TextDecoder().decode(payload)) as Packet;
  if (packet.deskId !== deskId) throw new Error(`addressed to desk ${packet.deskId}, not ${deskId}`);
  if (packet.packetId !== item.packetId) throw new Error(`the signed packet is ${packet.packetId}, the feed says ${item.packetId}`);
  const persons: OpenedPerson[] = [];
  for (const person of packet.persons) persons.push(await openPerson(person, packet.packetId, deskKeys));
  const { packet: _compact, ...listing } = item;
  return { ...listing, signedBy: String(protectedHeader.kid), packetSha256: packetSha256(item.packet), packet: { ...packet, persons } };
}

export type AcknowledgementInput = { kind: 'received' | 'person-received' | 'discrepancy'; personId?: string; reason?: string };

/** The desk's signed acknowledgement of the packet it received, with its newest signing key. */
export async function signAcknowledgement(item: FeedItem, input: AcknowledgementInput, deskKeys: readonly DeskJwk[], now = new Date()): Promise<string> {
  const key = deskKeys.filter((candidate) => candidate.use === 'sig' && candidate.d).at(-1);
  if (!key) throw new Error('the key file holds no private signing key');
  const payload = {
    packetId: item.packetId,
    packetSha256: packetSha256(item.packet),
    kind: input.kind,
    ...(input.personId ? { personId: input.personId } : {}),
    ...(input.reason ? { reason: input.reason } : {}),
    acknowledgedAt: now.toISOString(),
  };
  return new CompactSign(new TextEncoder().encode(JSON.stringify(payload))).setProtectedHeader({ alg: 'EdDSA', kid: key.kid, typ: ACK_TYPE }).sign(await importJWK(key, 'EdDSA'));
}
