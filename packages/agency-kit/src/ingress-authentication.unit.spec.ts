// The Kafka ingress sender check, with the real token verifier: the same callers as HTTP
// ingestion, the actor from the token, and a token judged at the broker's append time.
import { describe, expect, it } from 'vitest';
import { createTestAuth } from '@nrm/service-kit/testing';
import { ingressAuthenticator } from './ingress-authentication.ts';

const auth = await createTestAuth();
const authenticate = ingressAuthenticator('intake', auth.verifier);
const HOUR = 3_600_000;

describe('ingressAuthenticator', () => {
  it("hears an intake writer, as the token's subject", async () => {
    for (const role of ['clerk', 'supervisor', 'agency-admin']) {
      const token = await auth.token({ agency: 'intake', roles: [role], subject: `gateway-${role}` });
      expect(await authenticate({ token, appendedAt: null })).toEqual({ ok: true, actor: `gateway-${role}` });
    }
  });

  it('refuses no token, a forged one, another agency, and a role that may not write', async () => {
    expect(await authenticate({ token: null, appendedAt: null })).toMatchObject({ ok: false, rule: 'unauthenticated' });
    const other = await createTestAuth();
    const forged = await other.token({ agency: 'intake', roles: ['clerk'] });
    expect(await authenticate({ token: forged, appendedAt: null })).toMatchObject({ ok: false, rule: 'unauthenticated' });
    const identification = await auth.token({ agency: 'identification', roles: ['clerk'] });
    expect(await authenticate({ token: identification, appendedAt: null })).toMatchObject({ ok: false, rule: 'forbidden', detail: 'only intake may publish to its ingress topic' });
    const noAgency = await auth.token({ roles: ['clerk', 'standing-office-admin'] });
    expect(await authenticate({ token: noAgency, appendedAt: null })).toMatchObject({ ok: false, rule: 'forbidden' });
    const auditor = await auth.token({ agency: 'intake', roles: ['auditor'] });
    expect(await authenticate({ token: auditor, appendedAt: null })).toMatchObject({ ok: false, rule: 'forbidden' });
  });

  it('judges the token at the moment the broker wrote the message, not when it is read', async () => {
    const issued = new Date(Date.now() - 2 * HOUR);
    const token = await auth.token({ agency: 'intake', roles: ['clerk'], subject: 'gateway', ttlSeconds: 600, now: issued });
    // Read two hours later, after an outage: it was valid when the broker took it.
    expect(await authenticate({ token, appendedAt: new Date(issued.getTime() + 60_000) })).toEqual({ ok: true, actor: 'gateway' });
    // Written after it had expired, or read now without a broker timestamp: refused.
    expect(await authenticate({ token, appendedAt: new Date(issued.getTime() + HOUR) })).toMatchObject({ ok: false, rule: 'unauthenticated', detail: 'the token has expired' });
    expect(await authenticate({ token, appendedAt: null })).toMatchObject({ ok: false, rule: 'unauthenticated' });
    // Written before it was issued: not a token that could have been sent then.
    expect(await authenticate({ token, appendedAt: new Date(issued.getTime() - HOUR) })).toMatchObject({ ok: false, rule: 'unauthenticated' });
  });

  it('throws (so the message is retried) when the key set cannot be reached', async () => {
    const unreachable = ingressAuthenticator('intake', async () => {
      throw new Error('JWKS fetch failed: ECONNREFUSED');
    });
    await expect(unreachable({ token: 'a.b.c', appendedAt: null })).rejects.toThrow('ECONNREFUSED');
  });
});
