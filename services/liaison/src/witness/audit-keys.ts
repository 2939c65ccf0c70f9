// The audit service's public keys, which a cosigned tree head must verify against. Over the
// network: NRM_AUDIT_JWKS_URL (the audit service's /v1/audit/.well-known/jwks.json), cached for
// five minutes. In one process with the audit service (embedded mode) its key is read from the
// shared storage — read only: the liaison must never create an audit key of its own.
import { createPublicKey, createPrivateKey } from 'node:crypto';
import type { JSONWebKeySet, JWK } from 'jose';
import type { ServiceStorage } from '@nrm/service-kit';

export const AUDIT_JWKS_URL_ENV = 'NRM_AUDIT_JWKS_URL';
const CACHE_MS = 5 * 60_000;

function publicHalf(privateJwk: JWK): JWK {
  const exported = createPublicKey(createPrivateKey({ key: privateJwk as never, format: 'jwk' })).export({ format: 'jwk' }) as JWK;
  return { ...exported, kid: privateJwk.kid!, alg: 'EdDSA', use: 'sig' };
}

export function auditKeySource(storage: ServiceStorage, env: NodeJS.ProcessEnv = process.env): () => Promise<JSONWebKeySet | undefined> {
  let cached: { keys: JSONWebKeySet; at: number } | undefined;
  return async () => {
    if (cached && Date.now() - cached.at < CACHE_MS) return cached.keys;
    let keys: JSONWebKeySet | undefined;
    const url = env[AUDIT_JWKS_URL_ENV];
    if (url) {
      const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      if (!response.ok) throw new Error(`${AUDIT_JWKS_URL_ENV} ${url} answered ${response.status}`);
      keys = (await response.json()) as JSONWebKeySet;
    } else if (env.NRM_AUDIT_SIGNING_KEY) {
      keys = { keys: [publicHalf(JSON.parse(env.NRM_AUDIT_SIGNING_KEY) as JWK)] };
    } else if (storage.kind === 'sqlite') {
      const table = storage.database.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit_signing_key'").get();
      const row = table ? (storage.database.prepare('SELECT private_jwk FROM audit_signing_key WHERE id = 1').get() as { private_jwk: string } | undefined) : undefined;
      if (row) keys = { keys: [publicHalf(JSON.parse(row.private_jwk) as JWK)] };
    }
    if (keys) cached = { keys, at: Date.now() };
    return keys;
  };
}
