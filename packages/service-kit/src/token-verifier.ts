// Verifies access tokens with jose, apart from HTTP so Kafka ingress can use the same checks.
// The algorithms are pinned (a token cannot pick its own, `none` included); issuer, audience,
// expiry and issue time are required, and an issue time in the future is refused (jose checks it
// only with a maximum token age); the `typ` header must say it is an access token; a token longer
// than any access token the backbone accepts is refused before it is parsed.
import { readFile } from 'node:fs/promises';
import { createLocalJWKSet, createRemoteJWKSet, errors as joseErrors, jwtVerify } from 'jose';
import type { JSONWebKeySet, JWTVerifyGetKey } from 'jose';
import { UnauthorizedError } from './errors.ts';
import { AccessClaimsSchema, principalFromClaims } from './principal.ts';
import type { Principal } from './principal.ts';
import { VerifiedTokenCache } from './verified-token-cache.ts';
import type { VerifiedTokenCacheOptions } from './verified-token-cache.ts';

/**
 * A remote key set is cached: `cacheMaxAgeMs` bounds how long a key removed from the set still
 * verifies (10 minutes by default), `cooldownMs` how soon a token with an unknown kid may make it
 * fetched again (30 seconds by default), so a key added by a rotation verifies within that time.
 */
export type RemoteKeyCache = { cacheMaxAgeMs?: number; cooldownMs?: number; timeoutMs?: number };

export type KeySource = { jwks: JSONWebKeySet } | { jwksFile: string } | ({ jwksUrl: string | URL } & RemoteKeyCache);

export type TokenVerifierOptions = {
  keys: KeySource;
  issuer: string | string[];
  audience: string | string[];
  /** Defaults to EdDSA and ES256: asymmetric, short keys, no RSA padding pitfalls. */
  algorithms?: string[];
  clockToleranceSeconds?: number;
  /** Claims required on top of exp, iat and sub. */
  requiredClaims?: string[];
  /** Reuse of verified tokens (verified-token-cache.ts); `{ maxAgeMs: 0 }` verifies every time. */
  cache?: VerifiedTokenCacheOptions;
};

/**
 * `at`: the moment the token must have been valid at, instead of now: when a Kafka broker
 * stamped an ingress message (a token that expired while the message waited in the topic still
 * vouches for it; one that had expired before it was written does not).
 */
export type TokenVerifier = (token: string, options?: { at?: Date }) => Promise<Principal>;

export const DEFAULT_ALGORITHMS = ['EdDSA', 'ES256'];
/** Characters; a token with 50 roles of 100 characters is well under it, and HTTP headers stop at 16 KiB anyway. */
export const MAX_TOKEN_LENGTH = 16 * 1024;
const ACCEPTED_TYPES = new Set(['jwt', 'at+jwt', 'application/jwt', 'application/at+jwt']);

async function keyResolver(keys: KeySource): Promise<JWTVerifyGetKey> {
  if ('jwks' in keys) return createLocalJWKSet(keys.jwks);
  if ('jwksFile' in keys) return createLocalJWKSet(JSON.parse(await readFile(keys.jwksFile, 'utf8')) as JSONWebKeySet);
  return createRemoteJWKSet(new URL(keys.jwksUrl), {
    ...(keys.cacheMaxAgeMs === undefined ? {} : { cacheMaxAge: keys.cacheMaxAgeMs }),
    ...(keys.cooldownMs === undefined ? {} : { cooldownDuration: keys.cooldownMs }),
    ...(keys.timeoutMs === undefined ? {} : { timeoutDuration: keys.timeoutMs }),
  });
}

/** Says what was wrong without echoing the token; non-JOSE failures (JWKS unreachable) are not the caller's fault. */
function unauthorizedFor(error: unknown): UnauthorizedError | undefined {
  if (error instanceof joseErrors.JWTExpired) return new UnauthorizedError('the token has expired', true);
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    return new UnauthorizedError(`the token's "${error.claim}" claim ${error.reason === 'missing' ? 'is missing' : 'is not accepted'}`, true);
  }
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return new UnauthorizedError("the token's signing algorithm is not allowed", true);
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return new UnauthorizedError("the token's signature does not verify", true);
  if (error instanceof joseErrors.JWKSNoMatchingKey) return new UnauthorizedError('the token is not signed by a known key', true);
  if (error instanceof joseErrors.JWSInvalid || error instanceof joseErrors.JWTInvalid || error instanceof joseErrors.JOSENotSupported) {
    return new UnauthorizedError('the token is malformed', true);
  }
  return undefined;
}

export async function createTokenVerifier(options: TokenVerifierOptions): Promise<TokenVerifier> {
  const getKey = await keyResolver(options.keys);
  const verifyOptions = {
    algorithms: options.algorithms ?? DEFAULT_ALGORITHMS,
    issuer: options.issuer,
    audience: options.audience,
    clockTolerance: options.clockToleranceSeconds ?? 30,
    requiredClaims: ['exp', 'iat', 'sub', ...(options.requiredClaims ?? [])],
  };
  const cache = new VerifiedTokenCache(options.cache ?? {}, verifyOptions.clockTolerance);
  return async (token, { at } = {}) => {
    if (token.length > MAX_TOKEN_LENGTH) throw new UnauthorizedError('the token is too long', true);
    const nowMs = Date.now();
    const now = at ?? new Date(nowMs);
    const cached = cache.lookup(token, now, nowMs);
    if (cached !== undefined) {
      if ('expired' in cached) throw new UnauthorizedError('the token has expired', true);
      // The key set may have been fetched again since: reuse only while it gives the same key.
      const key = await (async () => getKey(cached.token.header, { payload: '', signature: '' }))().catch(() => undefined);
      if (key === cached.token.key) return cached.token.principal;
      cache.forget(token);
    }
    let usedKey: unknown;
    const verified = await jwtVerify(token, async (header, input) => (usedKey = await getKey(header, input)), { ...verifyOptions, currentDate: now }).catch((error: unknown) => {
      throw unauthorizedFor(error) ?? error;
    });
    // Required above, so present; a token dated in the future was minted by a wrong clock or to outlive its stated age.
    if (verified.payload.iat! > now.getTime() / 1000 + verifyOptions.clockTolerance) throw new UnauthorizedError(`the token's "iat" claim is in the future`, true);
    const typ = verified.protectedHeader.typ?.toLowerCase();
    if (typ === undefined || !ACCEPTED_TYPES.has(typ)) throw new UnauthorizedError('the token is not an access token (typ)', true);
    const claims = AccessClaimsSchema.safeParse(verified.payload);
    if (!claims.success) {
      const fields = claims.error.issues.map((issue) => issue.path.join('.')).join(', ');
      throw new UnauthorizedError(`the token's claims are not valid: ${fields}`, true);
    }
    // Shared by every request that brings this token again, so nobody may change it.
    const principal = Object.freeze(principalFromClaims(claims.data));
    Object.freeze(principal.roles);
    const { exp, nbf, iat } = verified.payload as { exp: number; nbf?: number; iat: number };
    cache.remember(token, { principal, header: verified.protectedHeader, key: usedKey, exp, nbf, iat }, nowMs);
    return principal;
  };
}
