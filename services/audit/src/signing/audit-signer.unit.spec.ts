// The audit signer: a development key kept in the service's storage (the same key id after a
// reopen), a given key from the environment, and signatures that jose's own verifier accepts,
// attached and detached.
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { compactVerify, createLocalJWKSet, exportJWK, generateKeyPair } from 'jose';
import { AUDIT_SIGNING_KEY_ENV, loadAuditSigner } from './audit-signer.ts';

describe('audit signer', () => {
  it('creates one development key in its storage and signs verifiably with it', async () => {
    const database = new DatabaseSync(':memory:');
    const signer = await loadAuditSigner({ kind: 'sqlite', database }, {});
    const again = await loadAuditSigner({ kind: 'sqlite', database }, {});
    expect(again.kid).toBe(signer.kid);
    const jws = await signer.sign('{"treeSize":3}', 'nrm-tree-head+jws');
    const { payload, protectedHeader } = await compactVerify(jws, createLocalJWKSet(signer.jwks));
    expect(new TextDecoder().decode(payload)).toBe('{"treeSize":3}');
    expect(protectedHeader).toMatchObject({ alg: 'EdDSA', kid: signer.kid, typ: 'nrm-tree-head+jws' });
    expect(JSON.stringify(signer.jwks)).not.toContain('"d"');
  });

  it('signs detached content that verifies once the content is put back, and only that content', async () => {
    const signer = await loadAuditSigner({ kind: 'sqlite', database: new DatabaseSync(':memory:') }, {});
    const content = '{"id":"a"}\n{"id":"b"}\n';
    const detached = await signer.signDetached(content, 'nrm-case-bundle+jws');
    const [header, empty, signature] = detached.split('.');
    expect(empty).toBe('');
    const attach = (text: string) => `${header}.${Buffer.from(text).toString('base64url')}.${signature}`;
    await expect(compactVerify(attach(content), createLocalJWKSet(signer.jwks))).resolves.toBeDefined();
    await expect(compactVerify(attach(content.replace('b', 'c')), createLocalJWKSet(signer.jwks))).rejects.toThrow();
  });

  it('uses the key the environment gives, and refuses one that is not a private Ed25519 JWK', async () => {
    const { privateKey } = await generateKeyPair('Ed25519', { extractable: true });
    const jwk = { ...(await exportJWK(privateKey)), kid: 'office-2026' };
    const signer = await loadAuditSigner({ kind: 'sqlite', database: new DatabaseSync(':memory:') }, { [AUDIT_SIGNING_KEY_ENV]: JSON.stringify(jwk) });
    expect(signer.kid).toBe('office-2026');
    await expect(loadAuditSigner({ kind: 'sqlite', database: new DatabaseSync(':memory:') }, { [AUDIT_SIGNING_KEY_ENV]: '{"kty":"RSA"}' })).rejects.toThrow(/Ed25519/);
    await expect(loadAuditSigner({ kind: 'sqlite', database: new DatabaseSync(':memory:') }, { [AUDIT_SIGNING_KEY_ENV]: 'not json' })).rejects.toThrow(/JWK/);
  });
});
