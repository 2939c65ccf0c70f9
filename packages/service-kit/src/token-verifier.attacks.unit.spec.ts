// Attacks on access tokens, each refused by the token verifier: unsigned and key-confused tokens,
// unknown keys and kids, tokens out of their time window, for another audience or issuer, of
// another kind (typ), with critical extensions, oversized; a rotated JWKS served over HTTP; and,
// through HTTP, a valid token of another agency on this agency's routes.
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK } from 'jose';
import type { CryptoKey, JWK, JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from './app.ts';
import { principalOf, requireAgency, requireRole } from './auth.ts';
import { createDevKeyPair } from './dev-keys.ts';
import { UnauthorizedError } from './errors.ts';
import { DEV_ISSUER, NRM_AUDIENCE } from './principal.ts';
import { MAX_TOKEN_LENGTH, createTokenVerifier } from './token-verifier.ts';
import type { TokenVerifier } from './token-verifier.ts';

type SigningKey = { kid: string; privateKey: CryptoKey; publicJwk: JWK };

const now = () => Math.floor(Date.now() / 1000);
const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

async function signingKey(alg: 'EdDSA' | 'ES256' | 'RS256', kid?: string): Promise<SigningKey> {
  const pair = await generateKeyPair(alg, { extractable: true });
  const publicJwk = await exportJWK(pair.publicKey);
  const id = kid ?? (await calculateJwkThumbprint(publicJwk));
  return { kid: id, privateKey: pair.privateKey, publicJwk: { ...publicJwk, kid: id, alg, use: 'sig' } };
}

function claims(overrides: JWTPayload = {}): JWTPayload {
  const issuedAt = now();
  return { iss: DEV_ISSUER, aud: NRM_AUDIENCE, sub: 'officer-17', agency: 'intake', roles: ['clerk'], iat: issuedAt, exp: issuedAt + 600, ...overrides };
}

/** Signs exactly the given header and claims (an absent claim stays absent). */
function sign(key: SigningKey, payload: JWTPayload, header: Record<string, unknown> = {}): Promise<string> {
  const alg = key.publicJwk.alg!;
  return new SignJWT(payload).setProtectedHeader({ alg, kid: key.kid, typ: 'at+jwt', ...header }).sign(key.privateKey);
}

async function refusal(verify: TokenVerifier, token: string): Promise<UnauthorizedError> {
  const error = await verify(token).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error, 'the token was accepted').toBeInstanceOf(UnauthorizedError);
  return error as UnauthorizedError;
}

describe('token verifier under attack', () => {
  let trusted: SigningKey;
  let trustedEs256: SigningKey;
  let verify: TokenVerifier;

  beforeAll(async () => {
    const dev = await createDevKeyPair();
    trusted = { kid: dev.kid, privateKey: (await importJWK(dev.privateJwk, 'EdDSA')) as CryptoKey, publicJwk: dev.publicJwk };
    trustedEs256 = await signingKey('ES256');
    verify = await createTokenVerifier({ keys: { jwks: { keys: [trusted.publicJwk, trustedEs256.publicJwk] } }, issuer: DEV_ISSUER, audience: NRM_AUDIENCE });
  });

  it('accepts a well-formed token of a trusted key (so each refusal below is the attack’s doing)', async () => {
    await expect(verify(await sign(trusted, claims()))).resolves.toMatchObject({ subject: 'officer-17', agency: 'intake' });
    await expect(verify(await sign(trustedEs256, claims()))).resolves.toMatchObject({ subject: 'officer-17' });
  });

  it('refuses an unsigned token (alg none), with or without the trusted kid', async () => {
    for (const header of [{ alg: 'none', typ: 'at+jwt' }, { alg: 'none', typ: 'at+jwt', kid: trusted.kid }]) {
      await refusal(verify, `${base64url(header)}.${base64url(claims())}.`);
    }
  });

  it('refuses HS256 signed with the public key as the HMAC secret (key confusion)', async () => {
    const header = base64url({ alg: 'HS256', typ: 'at+jwt', kid: trusted.kid });
    const payload = base64url(claims());
    for (const secret of [Buffer.from(trusted.publicJwk.x!, 'base64url'), Buffer.from(JSON.stringify(trusted.publicJwk)), Buffer.from(trusted.publicJwk.x!)]) {
      const signature = createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url');
      expect((await refusal(verify, `${header}.${payload}.${signature}`)).message).toMatch(/algorithm is not allowed/);
    }
  });

  it('refuses RS256 from a key not in the key set, even where RS256 is allowed', async () => {
    const rsa = await signingKey('RS256');
    expect((await refusal(verify, await sign(rsa, claims()))).message).toMatch(/algorithm is not allowed/);
    expect((await refusal(verify, await sign({ ...rsa, kid: trusted.kid }, claims()))).message).toMatch(/algorithm is not allowed/);
    const allowingRsa = await createTokenVerifier({ keys: { jwks: { keys: [trusted.publicJwk] } }, issuer: DEV_ISSUER, audience: NRM_AUDIENCE, algorithms: ['EdDSA', 'RS256'] });
    expect((await refusal(allowingRsa, await sign(rsa, claims()))).message).toMatch(/not signed by a known key/);
  });

  it('refuses ES256 and EdDSA tokens of unknown keys that claim a trusted kid', async () => {
    const es256 = await signingKey('ES256', trustedEs256.kid);
    const eddsa = await signingKey('EdDSA', trusted.kid);
    expect((await refusal(verify, await sign(es256, claims()))).message).toMatch(/signature does not verify/);
    expect((await refusal(verify, await sign(eddsa, claims()))).message).toMatch(/signature does not verify/);
  });

  it('refuses an unknown kid, and a token that names none', async () => {
    const stranger = await signingKey('EdDSA');
    expect((await refusal(verify, await sign(stranger, claims()))).message).toMatch(/not signed by a known key/);
    const noKid = await new SignJWT(claims()).setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt' }).sign((await signingKey('EdDSA')).privateKey);
    await refusal(verify, noKid);
  });

  it('refuses an expired token, one not valid yet (nbf), and one issued in the future (iat)', async () => {
    expect((await refusal(verify, await sign(trusted, claims({ iat: now() - 7200, exp: now() - 3600 })))).message).toMatch(/expired/);
    expect((await refusal(verify, await sign(trusted, claims({ nbf: now() + 3600, exp: now() + 7200 })))).message).toMatch(/"nbf"/);
    expect((await refusal(verify, await sign(trusted, claims({ iat: now() + 86_400, exp: now() + 90_000 })))).message).toMatch(/"iat"/);
  });

  it('tolerates clock skew within the tolerance (30 s by default), and no more', async () => {
    await expect(verify(await sign(trusted, claims({ iat: now() + 20 })))).resolves.toBeDefined();
    await refusal(verify, await sign(trusted, claims({ iat: now() + 120 })));
  });

  it('refuses a token for another audience or from another issuer', async () => {
    expect((await refusal(verify, await sign(trusted, claims({ aud: 'another-api' })))).message).toMatch(/"aud"/);
    expect((await refusal(verify, await sign(trusted, claims({ aud: [] })))).message).toMatch(/"aud"/);
    expect((await refusal(verify, await sign(trusted, claims({ iss: 'https://idp.example.org' })))).message).toMatch(/"iss"/);
  });

  it('refuses a token without exp, sub or iat', async () => {
    for (const claim of ['exp', 'sub', 'iat'] as const) {
      const { [claim]: _dropped, ...rest } = claims();
      expect((await refusal(verify, await sign(trusted, rest))).message).toMatch(new RegExp(`"${claim}" claim is missing`));
    }
  });

  it('refuses tokens of another kind (typ): DPoP proofs, logout and security-event tokens, no typ', async () => {
    for (const typ of ['JWT+dpop', 'dpop+jwt', 'logout+jwt', 'secevent+jwt', 'JOSE', 'id_token+jwt']) {
      expect((await refusal(verify, await sign(trusted, claims(), { typ }))).message, typ).toMatch(/not an access token/);
    }
    const untyped = await new SignJWT(claims()).setProtectedHeader({ alg: 'EdDSA', kid: trusted.kid }).sign(trusted.privateKey);
    await refusal(verify, untyped);
  });

  it('refuses a token with a critical header extension it does not understand', async () => {
    // jose will not sign it either, so it is signed by hand, with the trusted key.
    const signingInput = `${base64url({ alg: 'EdDSA', kid: trusted.kid, typ: 'at+jwt', crit: ['nrm-ext'], 'nrm-ext': true })}.${base64url(claims())}`;
    const signature = Buffer.from(await crypto.subtle.sign('Ed25519', trusted.privateKey, Buffer.from(signingInput))).toString('base64url');
    expect((await refusal(verify, `${signingInput}.${signature}`)).message).toMatch(/malformed/);
  });

  it('refuses an oversized token before parsing it, though its signature is good', async () => {
    const padded = await sign(trusted, claims({ padding: 'x'.repeat(MAX_TOKEN_LENGTH) }));
    expect((await refusal(verify, padded)).message).toMatch(/too long/);
  });

  it('refuses claims of the wrong shape (a role list that is not one, a country that is not a code)', async () => {
    await refusal(verify, await sign(trusted, claims({ roles: 'clerk' })));
    await refusal(verify, await sign(trusted, claims({ roles: ['desk'], country: 'Cambodia' })));
    await refusal(verify, await sign(trusted, claims({ agency: 'interpol' })));
  });
});

describe('a JWKS served over HTTP, rotated', () => {
  let server: Server;
  let served: { keys: JWK[] };
  let url: string;

  beforeAll(async () => {
    server = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(served));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
  });

  afterAll(async () => new Promise<void>((resolve) => server.close(() => resolve())));

  it('accepts the new key and refuses the old one once the cached set has been fetched again', async () => {
    const [before, after] = [await signingKey('EdDSA'), await signingKey('EdDSA')];
    served = { keys: [before.publicJwk] };
    const verify = await createTokenVerifier({ keys: { jwksUrl: url, cooldownMs: 0, cacheMaxAgeMs: 50 }, issuer: DEV_ISSUER, audience: NRM_AUDIENCE });
    const oldToken = await sign(before, claims());
    await expect(verify(oldToken)).resolves.toBeDefined();

    served = { keys: [after.publicJwk] };
    // An unknown kid makes the set fetched again at once (no cooldown here): the new key verifies.
    await expect(verify(await sign(after, claims()))).resolves.toBeDefined();
    expect((await refusal(verify, oldToken)).message).toMatch(/not signed by a known key/);
  });

  it('keeps verifying a removed key until the cache expires, then refuses it', async () => {
    const [before, after] = [await signingKey('EdDSA'), await signingKey('EdDSA')];
    served = { keys: [before.publicJwk] };
    const verify = await createTokenVerifier({ keys: { jwksUrl: url, cooldownMs: 60_000, cacheMaxAgeMs: 200 }, issuer: DEV_ISSUER, audience: NRM_AUDIENCE });
    const oldToken = await sign(before, claims());
    await expect(verify(oldToken)).resolves.toBeDefined();
    served = { keys: [after.publicJwk] };
    // Within the cooldown the new kid cannot make the set fetched again, and the old key still verifies.
    await refusal(verify, await sign(after, claims()));
    await expect(verify(oldToken)).resolves.toBeDefined();
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect((await refusal(verify, oldToken)).message).toMatch(/not signed by a known key/);
    await expect(verify(await sign(after, claims()))).resolves.toBeDefined();
  });
});

describe('over HTTP: a valid token of another agency', () => {
  it('cannot write to this agency’s routes (403), nor make its agency claim come from the body', async () => {
    const key = await signingKey('EdDSA');
    const app = await buildApp({ serviceName: 'attacks', logger: { level: 'silent' }, auth: { keys: { jwks: { keys: [key.publicJwk] } }, issuer: DEV_ISSUER, audience: NRM_AUDIENCE } });
    app.post('/v1/intake/tips', { preHandler: [requireAgency('intake'), requireRole('clerk')] }, async (request) => ({ agency: principalOf(request).agency }));
    await app.ready();
    const post = async (agency: string) =>
      app.inject({ method: 'POST', url: '/v1/intake/tips', headers: { authorization: `Bearer ${await sign(key, claims({ agency }))}` }, payload: { agency: 'intake' } });
    expect((await post('identification')).statusCode).toBe(403);
    const own = await post('intake');
    expect(own.statusCode).toBe(200);
    expect(own.json()).toEqual({ agency: 'intake' });
    await app.close();
  });
  // Reading another agency's case view (404, as if the case did not exist) is checked against the
  // real services, with a real case, in test/e2e/access-matrix.e2e.spec.ts.
});
