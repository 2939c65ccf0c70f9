// Wrapping of data keys under the master key (KEK) with AES-256-GCM, so key stores only ever
// hold ciphertext. The wrap is bound to (KEK id, subject, kid): a wrapped key copied onto
// another person's row, or relabelled with another kid, no longer unwraps.
import { createCipheriv, createDecipheriv } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { pooledRandomBytes } from '@nrm/contracts';
import type { Ulid } from '@nrm/contracts';
import { InvalidMasterKeyError } from './errors.ts';
import type { NewDataKey, StoredDataKey } from './key-store.ts';

/**
 * A master key (key-encryption key) and the id that stored keys name it by. The vault hands in
 * KeyObjects, made once: a cipher made from raw key bytes spends ~20 µs importing them each time.
 */
export type Kek = { id: string; key: Uint8Array | KeyObject };

const WRAP_FORMAT = 'nrm.vault.key.v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
export const DATA_KEY_BYTES = 32;

function wrapAad(kekId: string, subject: Ulid, kid: string): Buffer {
  // A JSON array keeps the parts unambiguous whatever characters they hold.
  return Buffer.from(JSON.stringify([WRAP_FORMAT, kekId, subject, kid]), 'utf8');
}

/** Stored layout: iv (12 bytes) ‖ tag (16 bytes) ‖ wrapped key (32 bytes). */
export function wrapDataKey(kek: Kek, subject: Ulid, kid: string, dataKey: Uint8Array): NewDataKey {
  const iv = pooledRandomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', kek.key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(wrapAad(kek.id, subject, kid));
  const ct = Buffer.concat([cipher.update(dataKey), cipher.final()]);
  return { kid, kekId: kek.id, wrapped: Buffer.concat([iv, cipher.getAuthTag(), ct]) };
}

/** The raw data key; the caller should zero it once done with it. */
export function unwrapDataKey(keks: ReadonlyMap<string, Uint8Array | KeyObject>, stored: StoredDataKey): Buffer {
  const kekKey = keks.get(stored.kekId);
  if (kekKey === undefined) {
    throw new InvalidMasterKeyError(
      `data key ${stored.kid} of subject ${stored.subject} is wrapped under master key '${stored.kekId}', which this vault was not given`,
    );
  }
  const wrapped = Buffer.from(stored.wrapped);
  try {
    if (wrapped.length !== IV_BYTES + TAG_BYTES + DATA_KEY_BYTES) throw new Error('wrong length');
    const decipher = createDecipheriv('aes-256-gcm', kekKey, wrapped.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
    decipher.setAAD(wrapAad(stored.kekId, stored.subject, stored.kid));
    decipher.setAuthTag(wrapped.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(wrapped.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
  } catch {
    throw new InvalidMasterKeyError(
      `data key ${stored.kid} of subject ${stored.subject} does not unwrap under master key '${stored.kekId}': the master key is wrong or the stored key was altered`,
    );
  }
}
