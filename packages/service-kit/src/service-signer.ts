// A service's signing key: the audit service signs tree heads and case bundles with one, the
// liaison service handover packets (JWS, EdDSA/Ed25519); the public half is published as a JWKS
// so anyone can check them offline. In production the key is given (an environment variable
// holding a private JWK); otherwise a development key is created once and kept in the service's
// own storage (its table named after the service), so every restart signs with the same key id.
import pg from 'pg';
import { CompactSign, calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK } from 'jose';
import type { CryptoKey, JSONWebKeySet, JWK } from 'jose';
import type { ServiceStorage } from './backbone-service.ts';

export const SIGNING_ALGORITHM = 'EdDSA';

export type ServiceSigner = {
  kid: string;
  /** The public key set to publish (`/.well-known/jwks.json`). */
  jwks: JSONWebKeySet;
  /** A compact JWS over `payload`, with `typ` naming what it is. */
  sign(payload: Uint8Array | string, typ: string): Promise<string>;
  /** A detached compact JWS (RFC 7515 Appendix F): `header..signature`; the content travels beside it. */
  signDetached(content: Uint8Array | string, typ: string): Promise<string>;
};

async function newPrivateJwk(): Promise<JWK> {
  const { privateKey, publicKey } = await generateKeyPair('Ed25519', { extractable: true });
  const kid = await calculateJwkThumbprint(await exportJWK(publicKey));
  return { ...(await exportJWK(privateKey)), kid, alg: SIGNING_ALGORITHM, use: 'sig' };
}

/** The stored development key, created on first use; concurrent first starts keep the first one written. */
async function storedPrivateJwk(storage: ServiceStorage, tableName: string): Promise<JWK> {
  const candidate = JSON.stringify(await newPrivateJwk());
  if (storage.kind === 'sqlite') {
    storage.database.exec(`CREATE TABLE IF NOT EXISTS ${tableName} (id INTEGER PRIMARY KEY CHECK (id = 1), private_jwk TEXT NOT NULL, created_at TEXT NOT NULL)`);
    storage.database.prepare(`INSERT INTO ${tableName} (id, private_jwk, created_at) VALUES (1, ?, ?) ON CONFLICT (id) DO NOTHING`).run(candidate, new Date().toISOString());
    const row = storage.database.prepare(`SELECT private_jwk FROM ${tableName} WHERE id = 1`).get() as { private_jwk: string };
    return JSON.parse(row.private_jwk) as JWK;
  }
  const client = new pg.Client({ connectionString: storage.connectionString });
  await client.connect();
  try {
    const table = `"${storage.schema}".${tableName}`;
    // Another process may create the schema at the same moment: a lost race is not an error, and
    // any real failure shows in the CREATE TABLE that follows.
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${storage.schema}"`).catch(() => undefined);
    await client.query(`CREATE TABLE IF NOT EXISTS ${table} (id INTEGER PRIMARY KEY CHECK (id = 1), private_jwk TEXT NOT NULL, created_at TIMESTAMPTZ NOT NULL DEFAULT now())`);
    await client.query(`INSERT INTO ${table} (id, private_jwk) VALUES (1, $1) ON CONFLICT (id) DO NOTHING`, [candidate]);
    const { rows } = await client.query<{ private_jwk: string }>(`SELECT private_jwk FROM ${table} WHERE id = 1`);
    return JSON.parse(rows[0]!.private_jwk) as JWK;
  } finally {
    await client.end();
  }
}

function givenPrivateJwk(text: string, envVar: string): JWK {
  let jwk: JWK;
  try {
    jwk = JSON.parse(text) as JWK;
  } catch {
    throw new Error(`${envVar} must be a private JWK (JSON) of an Ed25519 key`);
  }
  if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || !jwk.d || !jwk.x) throw new Error(`${envVar} must be a private Ed25519 JWK (kty OKP, crv Ed25519, with d and x)`);
  return jwk;
}

export type ServiceSignerOptions = {
  /** The environment variable that may hold the production key (a private Ed25519 JWK). */
  envVar: string;
  /** The table, in the service's storage, that keeps the development key. */
  tableName: string;
};

export async function loadServiceSigner(storage: ServiceStorage, options: ServiceSignerOptions, env: NodeJS.ProcessEnv = process.env): Promise<ServiceSigner> {
  if (!/^[a-z_]+$/.test(options.tableName)) throw new Error(`signing key table ${options.tableName}: lowercase letters and underscores only`);
  const given = env[options.envVar];
  const privateJwk = given ? givenPrivateJwk(given, options.envVar) : await storedPrivateJwk(storage, options.tableName);
  const { d: _d, ...publicJwk } = privateJwk;
  const kid = privateJwk.kid ?? (await calculateJwkThumbprint(publicJwk));
  const key = (await importJWK({ ...privateJwk, alg: SIGNING_ALGORITHM }, SIGNING_ALGORITHM)) as CryptoKey;
  const encode = (value: Uint8Array | string) => (typeof value === 'string' ? new TextEncoder().encode(value) : value);
  const sign = (payload: Uint8Array | string, typ: string) => new CompactSign(encode(payload)).setProtectedHeader({ alg: SIGNING_ALGORITHM, kid, typ }).sign(key);
  return {
    kid,
    jwks: { keys: [{ ...publicJwk, kid, alg: SIGNING_ALGORITHM, use: 'sig' }] },
    sign,
    async signDetached(content, typ) {
      const [header, , signature] = (await sign(content, typ)).split('.');
      return `${header}..${signature}`;
    },
  };
}
