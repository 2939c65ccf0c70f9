// Development keys: created once, owner-only on disk, reused after; their tokens verify against
// the published JWKS file exactly as the services will verify them.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { decodeProtectedHeader } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEV_PRIVATE_KEY_FILE, loadOrCreateDevKeys, mintToken } from './dev-keys.ts';
import { DEV_ISSUER, NRM_AUDIENCE } from './principal.ts';
import { createTokenVerifier } from './token-verifier.ts';

const run = promisify(execFile);

describe('dev keys', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'nrm-dev-keys-'));
  });
  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('writes the private key owner-only and reuses it on the next start', async () => {
    const first = await loadOrCreateDevKeys(join(dataDir, 'nested'));
    expect((await stat(first.privateKeyPath)).mode & 0o777).toBe(0o600);
    expect(first.privateKeyPath.endsWith(DEV_PRIVATE_KEY_FILE)).toBe(true);
    const second = await loadOrCreateDevKeys(join(dataDir, 'nested'));
    expect(second.kid).toBe(first.kid);
    const published = JSON.parse(await readFile(first.jwksPath, 'utf8')) as { keys: Record<string, unknown>[] };
    expect(published.keys).toHaveLength(1);
    expect(published.keys[0]).not.toHaveProperty('d');
  });

  it('agrees on one key, read whole, when several starts race for a fresh directory', async () => {
    // A reader once caught the key file between its creation and its content (a SyntaxError in CI).
    // The file is now linked in whole (dev-keys.ts), so no round can see a part of it.
    for (let round = 0; round < 25; round++) {
      const fresh = join(dataDir, `round-${round}`);
      const keys = await Promise.all(Array.from({ length: 8 }, () => loadOrCreateDevKeys(fresh)));
      expect(new Set(keys.map((key) => key.kid)).size).toBe(1);
      const published = JSON.parse(await readFile(keys[0]!.jwksPath, 'utf8')) as { keys: { kid: string }[] };
      expect(published.keys.map((key) => key.kid)).toEqual([keys[0]!.kid]);
    }
  });

  it('agrees on one key when separate processes start at once', async () => {
    const script = `import { loadOrCreateDevKeys } from ${JSON.stringify(new URL('./dev-keys.ts', import.meta.url).href)};
      process.stdout.write((await loadOrCreateDevKeys(process.argv[1])).kid);`;
    const kids = await Promise.all(
      Array.from({ length: 4 }, async () => {
        const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script, dataDir], { timeout: 30_000 });
        return stdout;
      }),
    );
    expect(kids[0]).toMatch(/^[\w-]{43}$/);
    expect(new Set(kids).size).toBe(1);
  }, 60_000);

  it('mints tokens that verify against the JWKS file', async () => {
    const keys = await loadOrCreateDevKeys(dataDir);
    const token = await mintToken({ privateKey: keys.privateKey, kid: keys.kid, subject: 'desk-la-01', agency: 'liaison', roles: ['liaison.desk'], country: 'LA', ttlSeconds: 300 });
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'EdDSA', typ: 'at+jwt', kid: keys.kid });
    const verify = await createTokenVerifier({ keys: { jwksFile: keys.jwksPath }, issuer: DEV_ISSUER, audience: NRM_AUDIENCE });
    expect(await verify(token)).toEqual({ subject: 'desk-la-01', agency: 'liaison', roles: ['liaison.desk'], country: 'LA' });
  });
});
