// Test desks and keys for the registry's specifications: the Bavet desk in Cambodia facing
// Mộc Bài, with key material derived from a name, so tests state keys by name, not by bytes.
import { createHash } from 'node:crypto';
import type { DeskKeySet, DeskPublicJwk, DeskRegistered } from '@nrm/contracts';
import type { CommandMetadata } from '@nrm/service-kit';

/** A public key whose bytes derive from `material`: the same material is the same key. */
export function publicKey(kid: string, use: 'sig' | 'enc', material = kid): DeskPublicJwk {
  const x = createHash('sha256').update(material).digest('base64url');
  return { kty: 'OKP', crv: use === 'sig' ? 'Ed25519' : 'X25519', x, kid, use };
}

export function keySet(...keys: DeskPublicJwk[]): DeskKeySet {
  return { keys };
}

export const firstKeys = keySet(publicKey('bavet-sig-1', 'sig'), publicKey('bavet-enc-1', 'enc'));
export const secondKeys = keySet(publicKey('bavet-sig-2', 'sig'), publicKey('bavet-enc-2', 'enc'));
/** The overlap of a rotation without downtime: the old keys and the new ones. */
export const overlapKeys = keySet(...firstKeys.keys, ...secondKeys.keys);

export const bavetDesk: DeskRegistered = {
  deskId: 'kh-bavet',
  country: 'KH',
  name: 'Border liaison office at Bavet',
  borderGates: ['Mộc Bài'],
  language: 'km',
  fieldProfile: ['fullName', 'dateOfBirth'],
  contact: { office: 'Svay Rieng provincial police, border liaison office', email: 'liaison@bavet.example.kh' },
  keys: firstKeys,
};

export const metadata: CommandMetadata = { commandId: '01K00000000000000000000000', now: '2026-11-20T08:00:00.000Z', actor: 'standing-office-admin', agency: 'liaison', caseId: null, causationId: null, traceparent: null };
