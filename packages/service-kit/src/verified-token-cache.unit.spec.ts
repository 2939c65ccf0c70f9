// Reusing verified tokens: the signature is checked once per token, and nothing the cache keeps
// lets a token through that a full verification would refuse at that moment (expired since,
// not yet issued at the moment asked about); a withdrawn key is covered by the rotated-JWKS
// tests of token-verifier.attacks.unit.spec.ts, which run with the cache on.
import { SignJWT, importJWK } from 'jose';
import type { CryptoKey, JWTPayload } from 'jose';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createDevKeyPair } from './dev-keys.ts';
import type { DevKeyPair } from './dev-keys.ts';
import { UnauthorizedError } from './errors.ts';
import { DEV_ISSUER, NRM_AUDIENCE } from './principal.ts';
import { createTokenVerifier } from './token-verifier.ts';
import { VerifiedTokenCache } from './verified-token-cache.ts';

let dev: DevKeyPair;
let privateKey: CryptoKey;

beforeAll(async () => {
  dev = await createDevKeyPair();
  privateKey = (await importJWK(dev.privateJwk, 'EdDSA')) as CryptoKey;
});

afterEach(() => vi.restoreAllMocks());

const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

function sign(payload: JWTPayload): Promise<string> {
  return new SignJWT({ iss: DEV_ISSUER, aud: NRM_AUDIENCE, sub: 'hotline-system', agency: 'intake', roles: ['clerk'], ...payload })
    .setProtectedHeader({ alg: 'EdDSA', kid: dev.kid, typ: 'at+jwt' })
    .sign(privateKey);
}

const verifier = (cache?: { maxAgeMs?: number; maxEntries?: number }) =>
  createTokenVerifier({ keys: { jwks: { keys: [dev.publicJwk] } }, issuer: DEV_ISSUER, audience: NRM_AUDIENCE, clockToleranceSeconds: 30, ...(cache ? { cache } : {}) });

describe('the token verifier with verified tokens reused', () => {
  it('checks a token’s signature once however often it comes, and each different token once', async () => {
    const verify = await verifier();
    const checks = vi.spyOn(crypto.subtle, 'verify');
    const issued = seconds(new Date());
    const [first, second] = [await sign({ iat: issued, exp: issued + 600 }), await sign({ iat: issued, exp: issued + 600, sub: 'another-system' })];
    for (let i = 0; i < 5; i++) expect((await verify(first)).subject).toBe('hotline-system');
    expect((await verify(second)).subject).toBe('another-system');
    expect(checks).toHaveBeenCalledTimes(2);
  });

  it('verifies every time when the cache is off', async () => {
    const verify = await verifier({ maxAgeMs: 0 });
    const checks = vi.spyOn(crypto.subtle, 'verify');
    const issued = seconds(new Date());
    const token = await sign({ iat: issued, exp: issued + 600 });
    for (let i = 0; i < 3; i++) await verify(token);
    expect(checks).toHaveBeenCalledTimes(3);
  });

  it('refuses a remembered token once it has expired', async () => {
    const verify = await verifier();
    const now = new Date();
    const token = await sign({ iat: seconds(now), exp: seconds(now) + 60 });
    await verify(token, { at: now });
    // Within the tolerance it is still good; past it, refused as a full verification would.
    await expect(verify(token, { at: new Date(now.getTime() + 80_000) })).resolves.toBeDefined();
    const refused = await verify(token, { at: new Date(now.getTime() + 91_000) }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(UnauthorizedError);
    expect((refused as Error).message).toBe('the token has expired');
  });

  it('refuses a remembered token for a moment before it was issued (a Kafka message written before the token existed)', async () => {
    const verify = await verifier();
    const now = new Date();
    const token = await sign({ iat: seconds(now), exp: seconds(now) + 600 });
    await verify(token, { at: now });
    const refused = await verify(token, { at: new Date(now.getTime() - 120_000) }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(UnauthorizedError);
    expect((refused as Error).message).toMatch(/"iat" claim is in the future/);
  });

  it('hands out a principal nobody can change', async () => {
    const verify = await verifier();
    const issued = seconds(new Date());
    const principal = await verify(await sign({ iat: issued, exp: issued + 600 }));
    expect(Object.isFrozen(principal)).toBe(true);
    expect(Object.isFrozen(principal.roles)).toBe(true);
  });

  it('never remembers a refusal: a bad signature is refused every time', async () => {
    const verify = await verifier();
    const issued = seconds(new Date());
    const good = await sign({ iat: issued, exp: issued + 600 });
    const [header, payload, signature] = good.split('.');
    const forged = `${header}.${payload}.${signature!.startsWith('A') ? `B${signature!.slice(1)}` : `A${signature!.slice(1)}`}`;
    for (let i = 0; i < 2; i++) await expect(verify(forged)).rejects.toThrow(/signature does not verify/);
    await expect(verify(good)).resolves.toBeDefined();
  });
});

describe('VerifiedTokenCache', () => {
  const entry = (exp: number, iat = 0) => ({ principal: { subject: 's', roles: [] }, header: { alg: 'EdDSA' }, key: 'k', exp, nbf: undefined, iat });

  it('keeps at most maxEntries, dropping the oldest first', () => {
    const cache = new VerifiedTokenCache({ maxEntries: 2 }, 0);
    const at = new Date(1_000_000);
    for (const token of ['a', 'b', 'c']) cache.remember(token, entry(2_000), at.getTime());
    expect(cache.size).toBe(2);
    expect(cache.lookup('a', at, at.getTime())).toBeUndefined();
    expect(cache.lookup('c', at, at.getTime())).toMatchObject({ token: { key: 'k' } });
  });

  it('forgets an entry older than maxAgeMs, or one from a clock that went back', () => {
    const cache = new VerifiedTokenCache({ maxAgeMs: 1_000 }, 0);
    cache.remember('t', entry(10_000), 5_000);
    expect(cache.lookup('t', new Date(5_500), 5_500)).toBeDefined();
    expect(cache.lookup('t', new Date(6_001), 6_001)).toBeUndefined();
    cache.remember('u', entry(10_000), 5_000);
    expect(cache.lookup('u', new Date(4_000), 4_000)).toBeUndefined();
  });
});
