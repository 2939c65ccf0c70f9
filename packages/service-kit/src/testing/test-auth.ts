// An in-memory signing key and matching auth options, so a service's route tests can mint the
// tokens they need without files or an identity provider.
import type { Agency } from '@nrm/contracts';
import type { AuthOptions } from '../auth.ts';
import { createDevKeyPair, mintToken } from '../dev-keys.ts';
import { DEV_ISSUER, NRM_AUDIENCE } from '../principal.ts';
import { createTokenVerifier } from '../token-verifier.ts';
import type { TokenVerifier } from '../token-verifier.ts';
import { importJWK } from 'jose';
import type { CryptoKey } from 'jose';

export type TestAuth = {
  auth: AuthOptions;
  /** The same checks as `auth`, for callers that come by another way than HTTP (Kafka ingress). */
  verifier: TokenVerifier;
  token(claims: { subject?: string; agency?: Agency; roles?: string[]; country?: string; ttlSeconds?: number; now?: Date }): Promise<string>;
};

export async function createTestAuth(): Promise<TestAuth> {
  const pair = await createDevKeyPair();
  const privateKey = (await importJWK(pair.privateJwk, 'EdDSA')) as CryptoKey;
  const options = { keys: { jwks: { keys: [pair.publicJwk] } }, issuer: DEV_ISSUER, audience: NRM_AUDIENCE };
  const verifier = await createTokenVerifier(options);
  return {
    auth: { verifier },
    verifier,
    token: (claims) => mintToken({ ...claims, privateKey, kid: pair.kid, subject: claims.subject ?? 'test-officer', roles: claims.roles ?? [] }),
  };
}
