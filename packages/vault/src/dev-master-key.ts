// DEVELOPMENT ONLY: a master key kept in a file next to the service's data, so `npm start`
// works without any setup. A key on the same disk as the data it protects protects nothing
// against whoever gets that disk; production supplies NRM_VAULT_MASTER_KEY (masterKeyFromEnv).
import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidMasterKeyError } from './errors.ts';
import { MASTER_KEY_BYTES, masterKeyIdOf, parseMasterKey, type MasterKeyConfig } from './master-key.ts';

export const DEV_MASTER_KEY_FILE = 'vault-master-key.dev';

/**
 * DEVELOPMENT ONLY. Loads `<dataDir>/vault-master-key.dev`, creating it (mode 0600) with a
 * fresh random key the first time. Its id starts with `dev-`, so a development key found
 * wrapping production data is recognisable at a glance.
 */
export async function loadOrCreateDevMasterKey(dataDir: string): Promise<MasterKeyConfig> {
  await mkdir(dataDir, { recursive: true });
  const path = join(dataDir, DEV_MASTER_KEY_FILE);
  await createIfAbsent(path);
  const mode = (await stat(path)).mode;
  if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
    throw new InvalidMasterKeyError(
      `${path} is readable by other users (mode ${(mode & 0o777).toString(8)}): run \`chmod 600 ${path}\``,
    );
  }
  const masterKey = parseMasterKey(await readFile(path, 'utf8'), path);
  return { masterKey, masterKeyId: `dev-${masterKeyIdOf(masterKey)}` };
}

/**
 * Writes a complete file aside and links it into place: link() fails if the name exists, so
 * two processes starting together agree on one key and neither reads a half-written file.
 */
async function createIfAbsent(path: string): Promise<void> {
  const draft = `${path}.${process.pid}.${randomBytes(4).toString('hex')}`;
  await writeFile(draft, `${randomBytes(MASTER_KEY_BYTES).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
  try {
    await link(draft, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    await unlink(draft);
  }
}
