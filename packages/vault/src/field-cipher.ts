// AES-256-GCM over one personal field, in the shape of the contracts' SealedField. The
// additional authenticated data binds the envelope to its person, key and field name, so an
// envelope moved into another field or onto another person fails to open instead of
// answering with someone else's data.
import { createCipheriv, createDecipheriv } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { pooledRandomBytes } from '@nrm/contracts';
import type { SealedField, Ulid } from '@nrm/contracts';
import { SealedFieldTamperedError } from './errors.ts';

const IV_BYTES = 12;
const TAG_BYTES = 16;

export type FieldBinding = { subject: Ulid; kid: string; field: string };

function fieldAad({ subject, kid, field }: FieldBinding): Buffer {
  // A JSON array keeps the parts unambiguous whatever characters a field name holds.
  return Buffer.from(JSON.stringify(['nrm.v1', 'A256GCM', subject, kid, field]), 'utf8');
}

/** `dataKey` as a KeyObject where it is used more than once: made from raw bytes, every cipher imports the key anew. */
export function encryptField(dataKey: Uint8Array | KeyObject, binding: FieldBinding, plaintext: string): SealedField {
  // A GCM nonce must never repeat under one key: 96 random bits, from the CSPRNG pool.
  const iv = pooledRandomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', dataKey, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(fieldAad(binding));
  const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return {
    sealed: 'nrm.v1',
    subject: binding.subject,
    kid: binding.kid,
    alg: 'A256GCM',
    iv: iv.toString('base64url'),
    ct: ct.toString('base64url'),
    tag: cipher.getAuthTag().toString('base64url'),
  };
}

export function decryptField(dataKey: Uint8Array | KeyObject, binding: FieldBinding, envelope: Pick<SealedField, 'iv' | 'ct' | 'tag'>): string {
  const iv = decodeStrict(envelope.iv, 'iv', binding.field);
  const ct = decodeStrict(envelope.ct, 'ct', binding.field);
  const tag = decodeStrict(envelope.tag, 'tag', binding.field);
  try {
    const decipher = createDecipheriv('aes-256-gcm', dataKey, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(fieldAad(binding));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ct), decipher.final()]).toString('utf8');
  } catch {
    throw new SealedFieldTamperedError(
      `sealed field '${binding.field}' of subject ${binding.subject} does not authenticate: it was altered, or it is opened as another field or person than it was sealed for`,
    );
  }
}

/**
 * Base64url decoding that refuses every text but the one canonical encoding. Node's decoder
 * ignores the spare low bits of a final character, so without this check two different
 * envelope texts (a flipped last character of `tag`) would open to the same plaintext.
 */
function decodeStrict(text: string, part: string, field: string): Buffer {
  const bytes = Buffer.from(text, 'base64url');
  if (bytes.toString('base64url') !== text) {
    throw new SealedFieldTamperedError(`sealed field '${field}': its ${part} is not canonical base64url, so the envelope was altered`);
  }
  return bytes;
}
