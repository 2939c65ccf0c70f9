// The master key (KEK) that wraps every data key, read from configuration. It is the one
// secret a deployment must supply: without it the key store is a table of ciphertext.
import { createHash } from 'node:crypto';
import { InvalidMasterKeyError } from './errors.ts';

export const MASTER_KEY_BYTES = 32;
export const MASTER_KEY_ENV = 'NRM_VAULT_MASTER_KEY';
export const MASTER_KEY_ID_ENV = 'NRM_VAULT_MASTER_KEY_ID';

/** What createVault needs of the master key; spread it into the vault's options. */
export type MasterKeyConfig = { masterKey: Uint8Array; masterKeyId: string };

const KEY_ID = /^[A-Za-z0-9._:-]{1,64}$/;
const GENERATE_HINT = 'generate one with `openssl rand -base64 32`';

/** Decodes 32 bytes given in base64 or base64url (padded or not); the error never echoes the value. */
export function parseMasterKey(text: string, source = 'the master key'): Buffer {
  const trimmed = text.trim();
  const standard = trimmed.replaceAll('-', '+').replaceAll('_', '/').replace(/=+$/, '');
  const bytes = Buffer.from(standard, 'base64');
  if (!/^[A-Za-z0-9+/]*$/.test(standard) || bytes.length !== MASTER_KEY_BYTES) {
    throw new InvalidMasterKeyError(
      `${source} must be ${MASTER_KEY_BYTES} random bytes in base64 or base64url (43 or 44 characters); got ${trimmed.length} characters that do not decode to ${MASTER_KEY_BYTES} bytes: ${GENERATE_HINT}`,
    );
  }
  return bytes;
}

/**
 * A stable id for a master key, derived from it: stored keys name their KEK by it, so a
 * rotated KEK is told apart without anyone having to invent names. A hash of a 256-bit random
 * key reveals nothing usable about it.
 */
export function masterKeyIdOf(masterKey: Uint8Array): string {
  return `kek-${createHash('sha256').update('nrm.vault.kek-id\u0000').update(masterKey).digest('hex').slice(0, 16)}`;
}

export function assertValidMasterKey({ masterKey, masterKeyId }: MasterKeyConfig): void {
  if (masterKey.length !== MASTER_KEY_BYTES) {
    throw new InvalidMasterKeyError(`the master key must be ${MASTER_KEY_BYTES} bytes; got ${masterKey.length}: ${GENERATE_HINT}`);
  }
  if (!KEY_ID.test(masterKeyId)) {
    throw new InvalidMasterKeyError(`the master key id must be 1 to 64 characters of A-Z a-z 0-9 . _ : -; got '${masterKeyId}'`);
  }
}

/** Reads NRM_VAULT_MASTER_KEY (and optionally NRM_VAULT_MASTER_KEY_ID; otherwise the id is derived from the key). */
export function masterKeyFromEnv(env: Record<string, string | undefined> = process.env): MasterKeyConfig {
  const text = env[MASTER_KEY_ENV];
  if (text === undefined || text.trim() === '') {
    throw new InvalidMasterKeyError(
      `${MASTER_KEY_ENV} is not set: the vault needs a ${MASTER_KEY_BYTES}-byte master key (${GENERATE_HINT}); for local development only, use loadOrCreateDevMasterKey`,
    );
  }
  const masterKey = parseMasterKey(text, MASTER_KEY_ENV);
  const config = { masterKey, masterKeyId: env[MASTER_KEY_ID_ENV]?.trim() || masterKeyIdOf(masterKey) };
  assertValidMasterKey(config);
  return config;
}
