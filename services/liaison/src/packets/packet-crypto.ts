// The two cryptographic envelopes of a packet, with `jose` only, so any desk can undo them with
// any JOSE library: each person's shared fields are encrypted to the desk (JWE, ECDH-ES key
// agreement with the desk's encryption key, A256GCM), and the whole packet is signed by the
// backbone (JWS, EdDSA). The encrypted part names the packet and the person it belongs to, so
// it cannot be lifted into another packet unnoticed.
import { CompactEncrypt, importJWK } from 'jose';
import type { JWK } from 'jose';
import { canonicalize } from '@nrm/contracts';
import type { DeskKeySet, DeskPublicJwk, JsonValue } from '@nrm/contracts';

export const PACKET_TYPE = 'nrm-handover-packet+jws';
export const PERSON_DATA_TYPE = 'nrm-person-data+jwe';
export const PERSON_DATA_ALGORITHM = 'ECDH-ES';
export const PERSON_DATA_ENCRYPTION = 'A256GCM';

/** The key packets are encrypted to: the desk's newest encryption key (the last listed), so a rotation takes effect for the next packet. */
export function encryptionKeyOf(keys: DeskKeySet): DeskPublicJwk {
  const candidates = keys.keys.filter((key) => key.use === 'enc');
  return candidates[candidates.length - 1]!;
}

export type PersonDataPlaintext = { packetId: string; personId: string; fields: Record<string, JsonValue> };

export async function encryptPersonData(plaintext: PersonDataPlaintext, key: DeskPublicJwk): Promise<string> {
  const { use: _use, alg: _alg, ...material } = key;
  const publicKey = await importJWK({ ...material, alg: PERSON_DATA_ALGORITHM } as JWK, PERSON_DATA_ALGORITHM);
  return new CompactEncrypt(new TextEncoder().encode(canonicalize(plaintext)))
    .setProtectedHeader({ alg: PERSON_DATA_ALGORITHM, enc: PERSON_DATA_ENCRYPTION, kid: key.kid, typ: PERSON_DATA_TYPE, cty: 'json' })
    .encrypt(publicKey);
}
