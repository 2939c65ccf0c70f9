// Authentication and authorisation at the HTTP edge: only a well-formed, correctly signed,
// unexpired access token for this audience from this issuer gets through; guards answer 403.
import { SignJWT, calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK } from 'jose';
import type { CryptoKey } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildApp } from './app.ts';
import type { NrmApp } from './app.ts';
import { principalOf, requireAgency, requireRole } from './auth.ts';
import { createDevKeyPair, mintToken } from './dev-keys.ts';
import { DEV_ISSUER, NRM_AUDIENCE } from './principal.ts';
import { PROBLEM_CONTENT_TYPE, PROBLEM_TYPE_BASE } from './problem-details.ts';
import { createTokenVerifier } from './token-verifier.ts';

function base64url(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

describe('authentication', () => {
  let app: NrmApp;
  let trusted: Awaited<ReturnType<typeof createDevKeyPair>>;
  let trustedKey: CryptoKey;
  let es256: { kid: string; privateKey: CryptoKey };
  let handled = 0;
  const now = () => Math.floor(Date.now() / 1000);

  const token = (overrides: Partial<Parameters<typeof mintToken>[0]> = {}) =>
    mintToken({ privateKey: trustedKey, kid: trusted.kid, subject: 'officer-17', agency: 'intake', roles: ['intake.officer'], ...overrides });
  const get = (url: string, bearer?: string) => app.inject({ method: 'GET', url, headers: bearer === undefined ? {} : { authorization: `Bearer ${bearer}` } });

  beforeAll(async () => {
    trusted = await createDevKeyPair();
    trustedKey = (await importJWK(trusted.privateJwk, 'EdDSA')) as CryptoKey;
    const ecPair = await generateKeyPair('ES256');
    const ecPublic = await exportJWK(ecPair.publicKey);
    es256 = { kid: await calculateJwkThumbprint(ecPublic), privateKey: ecPair.privateKey };
    app = await buildApp({
      serviceName: 'test',
      logger: { level: 'silent' },
      auth: { keys: { jwks: { keys: [trusted.publicJwk, { ...ecPublic, kid: es256.kid, alg: 'ES256' }] } }, issuer: DEV_ISSUER, audience: NRM_AUDIENCE },
    });
    app.get('/whoami', async (request) => {
      handled++;
      return principalOf(request);
    });
    app.post('/intake-only', { preHandler: requireAgency('intake'), schema: { body: z.object({ note: z.string() }) } }, async () => ({ ok: true }));
    app.get('/supervisors', { preHandler: requireRole('intake.supervisor', 'audit.inspector') }, async () => ({ ok: true }));
    app.get('/open', { config: { public: true } }, async (request) => ({ principal: request.principal }));
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
  });

  it('accepts a valid token and exposes the principal', async () => {
    const response = await get('/whoami', await token({ country: 'KH' }));
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ subject: 'officer-17', agency: 'intake', roles: ['intake.officer'], country: 'KH' });
  });

  it('accepts ES256 as well as EdDSA', async () => {
    const response = await get('/whoami', await mintToken({ privateKey: es256.privateKey, kid: es256.kid, algorithm: 'ES256', subject: 'desk-kh', roles: [] }));
    expect(response.statusCode).toBe(200);
  });

  it('answers a request without a token with 401 problem+json and a Bearer challenge, before the handler', async () => {
    const before = handled;
    const response = await get('/whoami');
    expect(response.statusCode).toBe(401);
    expect(response.headers['content-type']).toContain(PROBLEM_CONTENT_TYPE);
    expect(response.headers['www-authenticate']).toBe('Bearer realm="nrm-backbone"');
    expect(response.json()).toMatchObject({ type: `${PROBLEM_TYPE_BASE}unauthorized`, status: 401 });
    expect(handled).toBe(before);
  });

  it('checks authentication before the body, so an anonymous malformed request is a 401', async () => {
    const response = await app.inject({ method: 'POST', url: '/intake-only', payload: { note: 42 } });
    expect(response.statusCode).toBe(401);
  });

  const refusals: [string, () => Promise<string>, RegExp][] = [
    ['a signature by an unknown key under a trusted kid', async () => {
      const impostor = await createDevKeyPair();
        return mintToken({ privateKey: (await importJWK(impostor.privateJwk, 'EdDSA')) as CryptoKey, kid: trusted.kid, subject: 'x', roles: [] });
    }, /signature/],
    ['a tampered payload', async () => {
      const [header, , signature] = (await token()).split('.');
      return `${header}.${base64url({ sub: 'officer-17', roles: ['audit.inspector'], iss: DEV_ISSUER, aud: NRM_AUDIENCE, iat: now(), exp: now() + 60 })}.${signature}`;
    }, /signature/],
    ['an expired token', () => token({ now: new Date(Date.now() - 2 * 3600_000), ttlSeconds: 3600 }), /expired/],
    ['another audience', () => token({ audience: 'some-other-system' }), /"aud"/],
    ['another issuer', () => token({ issuer: 'https://evil.example' }), /"iss"/],
    ['alg none', async () => `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ sub: 'x', roles: [], iss: DEV_ISSUER, aud: NRM_AUDIENCE, iat: now(), exp: now() + 60 })}.`, /algorithm|malformed/],
    ['an HMAC token (algorithm confusion)', () =>
      new SignJWT({ roles: [] }).setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid: trusted.kid }).setSubject('x').setIssuer(DEV_ISSUER).setAudience(NRM_AUDIENCE).setIssuedAt().setExpirationTime('5m').sign(new TextEncoder().encode('a'.repeat(32))), /algorithm/],
    ['no typ header', () =>
      new SignJWT({ roles: [] }).setProtectedHeader({ alg: 'EdDSA', kid: trusted.kid }).setSubject('x').setIssuer(DEV_ISSUER).setAudience(NRM_AUDIENCE).setIssuedAt().setExpirationTime('5m').sign(trustedKey), /typ/],
    ['no expiry', () =>
      new SignJWT({ roles: [] }).setProtectedHeader({ alg: 'EdDSA', kid: trusted.kid, typ: 'at+jwt' }).setSubject('x').setIssuer(DEV_ISSUER).setAudience(NRM_AUDIENCE).setIssuedAt().sign(trustedKey), /"exp"/],
    ['no roles claim', () =>
      new SignJWT({}).setProtectedHeader({ alg: 'EdDSA', kid: trusted.kid, typ: 'at+jwt' }).setSubject('x').setIssuer(DEV_ISSUER).setAudience(NRM_AUDIENCE).setIssuedAt().setExpirationTime('5m').sign(trustedKey), /roles/],
    ['an unknown agency', () =>
      new SignJWT({ roles: [], agency: 'ministry' }).setProtectedHeader({ alg: 'EdDSA', kid: trusted.kid, typ: 'at+jwt' }).setSubject('x').setIssuer(DEV_ISSUER).setAudience(NRM_AUDIENCE).setIssuedAt().setExpirationTime('5m').sign(trustedKey), /agency/],
    ['garbage', async () => 'not.a.jwt', /malformed/],
  ];

  it.each(refusals)('refuses %s with 401', async (_name, makeToken, detail) => {
    const before = handled;
    const response = await get('/whoami', await makeToken());
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer realm="nrm-backbone", error="invalid_token"');
    expect(response.json().detail).toMatch(detail);
    expect(handled).toBe(before);
  });

  it('refuses an Authorization header that is not a Bearer token', async () => {
    const response = await app.inject({ method: 'GET', url: '/whoami', headers: { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` } });
    expect(response.statusCode).toBe(401);
  });

  it('answers 403 problem+json when the caller acts for another agency', async () => {
    const response = await app.inject({ method: 'POST', url: '/intake-only', payload: { note: 'x' }, headers: { authorization: `Bearer ${await token({ agency: 'rescue' })}` } });
    expect(response.statusCode).toBe(403);
    expect(response.headers['content-type']).toContain(PROBLEM_CONTENT_TYPE);
    expect(response.json()).toMatchObject({ type: `${PROBLEM_TYPE_BASE}forbidden`, status: 403 });
    const own = await app.inject({ method: 'POST', url: '/intake-only', payload: { note: 'x' }, headers: { authorization: `Bearer ${await token()}` } });
    expect(own.statusCode).toBe(200);
  });

  it('answers 403 without one of the required roles, 200 with one', async () => {
    expect((await get('/supervisors', await token())).statusCode).toBe(403);
    expect((await get('/supervisors', await token({ roles: ['audit.inspector'] }))).statusCode).toBe(200);
  });

  it('lets public routes through without a token', async () => {
    const response = await get('/open');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ principal: null });
  });
});

describe('createTokenVerifier', () => {
  it('tolerates a little clock skew but no more', async () => {
    const pair = await createDevKeyPair();
    const privateKey = (await importJWK(pair.privateJwk, 'EdDSA')) as CryptoKey;
    const verify = await createTokenVerifier({ keys: { jwks: { keys: [pair.publicJwk] } }, issuer: DEV_ISSUER, audience: NRM_AUDIENCE, clockToleranceSeconds: 30 });
    const expiredSecondsAgo = (seconds: number) => mintToken({ privateKey, kid: pair.kid, subject: 's', roles: [], ttlSeconds: 60, now: new Date(Date.now() - (60 + seconds) * 1000) });
    await expect(verify(await expiredSecondsAgo(10))).resolves.toMatchObject({ subject: 's' });
    await expect(verify(await expiredSecondsAgo(120))).rejects.toMatchObject({ status: 401 });
  });
});
