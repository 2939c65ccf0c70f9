import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEV_MASTER_KEY_FILE, loadOrCreateDevMasterKey } from './dev-master-key.ts';
import { InvalidMasterKeyError } from './errors.ts';
import { masterKeyFromEnv, masterKeyIdOf, parseMasterKey } from './master-key.ts';

describe('parseMasterKey', () => {
  const key = randomBytes(32);

  it.each([
    ['base64, padded', key.toString('base64')],
    ['base64url, unpadded', key.toString('base64url')],
    ['with a trailing newline', `${key.toString('base64')}\n`],
  ])('reads %s', (_form, text) => {
    expect(parseMasterKey(text).equals(key)).toBe(true);
  });

  it.each([
    ['too short', randomBytes(16).toString('base64')],
    ['too long', randomBytes(48).toString('base64')],
    ['not base64', `${key.toString('base64url').slice(0, 40)}!!!`],
    ['empty', ''],
  ])('refuses a key that is %s, without echoing it', (_problem, text) => {
    expect(() => parseMasterKey(text, 'NRM_VAULT_MASTER_KEY')).toThrow(InvalidMasterKeyError);
    try {
      parseMasterKey(text, 'NRM_VAULT_MASTER_KEY');
    } catch (error) {
      expect((error as Error).message).toContain('NRM_VAULT_MASTER_KEY must be 32 random bytes');
      if (text) expect((error as Error).message).not.toContain(text);
    }
  });
});

describe('masterKeyFromEnv', () => {
  it('reads the key and derives a stable id from it', () => {
    const key = randomBytes(32);
    const config = masterKeyFromEnv({ NRM_VAULT_MASTER_KEY: key.toString('base64') });
    expect(Buffer.from(config.masterKey).equals(key)).toBe(true);
    expect(config.masterKeyId).toMatch(/^kek-[0-9a-f]{16}$/);
    expect(config.masterKeyId).toBe(masterKeyIdOf(key));
    expect(masterKeyIdOf(randomBytes(32))).not.toBe(config.masterKeyId);
  });

  it('takes an explicit id when given one', () => {
    const env = { NRM_VAULT_MASTER_KEY: randomBytes(32).toString('base64url'), NRM_VAULT_MASTER_KEY_ID: 'hsm-2031-04' };
    expect(masterKeyFromEnv(env).masterKeyId).toBe('hsm-2031-04');
    expect(() => masterKeyFromEnv({ ...env, NRM_VAULT_MASTER_KEY_ID: 'has spaces' })).toThrow(InvalidMasterKeyError);
  });

  it('says what is missing when the variable is not set', () => {
    expect(() => masterKeyFromEnv({})).toThrow(/NRM_VAULT_MASTER_KEY is not set/);
    expect(() => masterKeyFromEnv({ NRM_VAULT_MASTER_KEY: 'abc' })).toThrow(InvalidMasterKeyError);
  });
});

describe('loadOrCreateDevMasterKey (development only)', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nrm-vault-dev-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('creates a key file readable only by its owner, then keeps loading the same key', async () => {
    const dataDir = join(dir, 'data', 'intake');
    const first = await loadOrCreateDevMasterKey(dataDir);
    const path = join(dataDir, DEV_MASTER_KEY_FILE);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(first.masterKey).toHaveLength(32);
    expect(first.masterKeyId).toMatch(/^dev-kek-/);
    const again = await loadOrCreateDevMasterKey(dataDir);
    expect(Buffer.from(again.masterKey).equals(Buffer.from(first.masterKey))).toBe(true);
    expect(parseMasterKey(await readFile(path, 'utf8')).equals(Buffer.from(first.masterKey))).toBe(true);
  });

  it('agrees on one key when several processes start at once', async () => {
    const configs = await Promise.all(Array.from({ length: 8 }, () => loadOrCreateDevMasterKey(dir)));
    expect(new Set(configs.map((config) => config.masterKeyId)).size).toBe(1);
  });

  it('refuses a key file other users can read, and a corrupt one', async () => {
    const path = join(dir, DEV_MASTER_KEY_FILE);
    await writeFile(path, randomBytes(32).toString('base64'), { mode: 0o644 });
    await chmod(path, 0o644);
    await expect(loadOrCreateDevMasterKey(dir)).rejects.toThrow(/readable by other users/);
    await writeFile(path, 'not a key');
    await chmod(path, 0o600);
    await expect(loadOrCreateDevMasterKey(dir)).rejects.toBeInstanceOf(InvalidMasterKeyError);
  });
});
