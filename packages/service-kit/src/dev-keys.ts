// Local signing keys and token minting for development, demos and tests (`nrm token`,
// `nrm start`). Production tokens come from the agencies' identity providers; the services only
// ever see a public JWKS. The private key file is written owner-only (0600).
import { link, mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { newId } from '@nrm/contracts';
import type { Agency } from '@nrm/contracts';
import { SignJWT, calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK } from 'jose';
import type { CryptoKey, JSONWebKeySet, JWK } from 'jose';
import { DEV_ISSUER, NRM_AUDIENCE } from './principal.ts';

export const DEV_SIGNING_ALGORITHM = 'EdDSA';
export const DEV_PRIVATE_KEY_FILE = 'dev-signing-key.jwk.json';
export const DEV_JWKS_FILE = 'dev-jwks.json';

export type DevKeyPair = { kid: string; privateJwk: JWK; publicJwk: JWK };

export type DevKeys = {
  kid: string;
  privateKey: CryptoKey;
  /** The public half as a key set: what the services' auth plugin is given. */
  jwks: JSONWebKeySet;
};

export async function createDevKeyPair(): Promise<DevKeyPair> {
  const { privateKey, publicKey } = await generateKeyPair('Ed25519', { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  const common = { kid, alg: DEV_SIGNING_ALGORITHM, use: 'sig' };
  return { kid, privateJwk: { ...(await exportJWK(privateKey)), ...common }, publicJwk: { ...publicJwk, ...common } };
}

function publicHalf(privateJwk: JWK): JWK {
  const { d: _d, ...publicJwk } = privateJwk;
  return publicJwk;
}

/** A file name beside `path` that no other process or call uses. */
function scratchBeside(path: string): string {
  return `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
}

/**
 * Creates `path` with `text` unless it exists, never showing a reader a part of it: the text is
 * written to a file of its own first and then linked in (link fails when the name is taken).
 * Two processes starting at once both find a whole key file, whichever of them made it.
 */
async function writeNewFile(path: string, text: string, mode: number): Promise<boolean> {
  const scratch = scratchBeside(path);
  await writeFile(scratch, text, { mode, flag: 'wx' });
  try {
    await link(scratch, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await unlink(scratch).catch(() => undefined);
  }
}

/** Replaces `path` whole (rename is atomic), so a reader sees the old text or the new, never a part. */
async function replaceFile(path: string, text: string, mode: number): Promise<void> {
  const scratch = scratchBeside(path);
  await writeFile(scratch, text, { mode, flag: 'wx' });
  try {
    await rename(scratch, path);
  } catch (error) {
    await unlink(scratch).catch(() => undefined);
    throw error;
  }
}

async function readOrCreatePrivateJwk(path: string): Promise<JWK> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as JWK;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const { privateJwk } = await createDevKeyPair();
  if (await writeNewFile(path, `${JSON.stringify(privateJwk, null, 2)}\n`, 0o600)) return privateJwk;
  // Another process created the key between our read and our write: use theirs.
  return JSON.parse(await readFile(path, 'utf8')) as JWK;
}

/** Reads the key pair under `dataDir`, creating it the first time. */
export async function loadOrCreateDevKeys(dataDir: string): Promise<DevKeys & { privateKeyPath: string; jwksPath: string }> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const privateKeyPath = join(dataDir, DEV_PRIVATE_KEY_FILE);
  const jwksPath = join(dataDir, DEV_JWKS_FILE);
  const privateJwk = await readOrCreatePrivateJwk(privateKeyPath);
  if (privateJwk.kty !== 'OKP' || privateJwk.crv !== 'Ed25519' || typeof privateJwk.d !== 'string' || typeof privateJwk.kid !== 'string') {
    throw new Error(`${privateKeyPath} is not an Ed25519 private JWK with a kid`);
  }
  const jwks: JSONWebKeySet = { keys: [publicHalf(privateJwk)] };
  // The public set is rewritten each time so it always matches the private key on disk.
  await replaceFile(jwksPath, `${JSON.stringify(jwks, null, 2)}\n`, 0o644);
  const privateKey = (await importJWK(privateJwk, DEV_SIGNING_ALGORITHM)) as CryptoKey;
  return { kid: privateJwk.kid, privateKey, jwks, privateKeyPath, jwksPath };
}

export type MintTokenOptions = {
  privateKey: CryptoKey;
  kid: string;
  subject: string;
  roles: readonly string[];
  agency?: Agency;
  country?: string;
  issuer?: string;
  audience?: string;
  ttlSeconds?: number;
  /** Defaults to EdDSA, the algorithm of the dev keys. */
  algorithm?: string;
  /** The issue time; tests pin it to mint expired tokens. */
  now?: Date;
};

export async function mintToken(options: MintTokenOptions): Promise<string> {
  const issuedAt = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const claims: Record<string, unknown> = { roles: [...options.roles] };
  if (options.agency !== undefined) claims.agency = options.agency;
  if (options.country !== undefined) claims.country = options.country;
  return new SignJWT(claims)
    .setProtectedHeader({ alg: options.algorithm ?? DEV_SIGNING_ALGORITHM, kid: options.kid, typ: 'at+jwt' })
    .setSubject(options.subject)
    .setIssuer(options.issuer ?? DEV_ISSUER)
    .setAudience(options.audience ?? NRM_AUDIENCE)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + (options.ttlSeconds ?? 3600))
    .setJti(newId())
    .sign(options.privateKey);
}
