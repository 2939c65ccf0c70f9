// Development keys: created once, owner-only on disk, reused after; their tokens verify against
// the published JWKS file exactly as the services will verify them.
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeProtectedHeader } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEV_PRIVATE_KEY_FILE, loadOrCreateDevKeys, mintToken } from './dev-keys.ts';
import { DEV_ISSUER, NRM_AUDIENCE } from './principal.ts';
import { createTokenVerifier } from './token-verifier.ts';

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

  it('agrees on one key when two processes start at once', async () => {
    const [a, b] = await Promise.all([loadOrCreateDevKeys(dataDir), loadOrCreateDevKeys(dataDir)]);
    expect(a.kid).toBe(b.kid);
  });

  it('mints tokens that verify against the JWKS file', async () => {
    const keys = await loadOrCreateDevKeys(dataDir);
    const token = await mintToken({ privateKey: keys.privateKey, kid: keys.kid, subject: 'desk-la-01', agency: 'liaison', roles: ['liaison.desk'], country: 'LA', ttlSeconds: 300 });
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'EdDSA', typ: 'at+jwt', kid: keys.kid });
    const verify = await createTokenVerifier({ keys: { jwksFile: keys.jwksPath }, issuer: DEV_ISSUER, audience: NRM_AUDIENCE });
    expect(await verify(token)).toEqual({ subject: 'desk-la-01', agency: 'liaison', roles: ['liaison.desk'], country: 'LA' });
  });
});
