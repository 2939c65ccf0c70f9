// A liaison desk's own key pairs, made and kept the way the example desk client (`nrm desk-client`)
// does it, with `jose` and node built-ins only: an Ed25519 key to sign acknowledgements and an
// X25519 key packets' personal data is encrypted to. The private JWKs stay on the desk's machine
// (mode 0600); only the public JWKS is sent to the standing office to be registered.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { exportJWK, generateKeyPair } from 'jose';
import type { JWK } from 'jose';

export type DeskJwk = JWK & { kid: string; use: 'sig' | 'enc' };
export type DeskKeyFiles = { privateFile: string; publicFile: string };

/** RFC 7518 §6: the members that hold private key material. */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

export function publicJwkOf(key: DeskJwk): DeskJwk {
  return Object.fromEntries(Object.entries(key).filter(([member]) => !PRIVATE_MEMBERS.includes(member))) as DeskJwk;
}

/** A new signing and encryption key, with kids that say whose and when: `<deskId>-sig-<yyyymm>`. */
export async function generateDeskKeys(deskId: string, now = new Date()): Promise<DeskJwk[]> {
  const month = now.toISOString().slice(0, 7).replace('-', '');
  const signing = await generateKeyPair('Ed25519', { extractable: true });
  const encryption = await generateKeyPair('ECDH-ES', { crv: 'X25519', extractable: true });
  return [
    { ...(await exportJWK(signing.privateKey)), kid: `${deskId}-sig-${month}`, use: 'sig', alg: 'EdDSA' },
    { ...(await exportJWK(encryption.privateKey)), kid: `${deskId}-enc-${month}`, use: 'enc', alg: 'ECDH-ES' },
  ];
}

export function deskKeyFiles(dir: string, deskId: string): DeskKeyFiles {
  return { privateFile: resolve(join(dir, `${deskId}.private.json`)), publicFile: resolve(join(dir, `${deskId}.jwks.json`)) };
}

/** Writes `<dir>/<deskId>.private.json` (0600) and `<dir>/<deskId>.jwks.json`; an existing private key is never overwritten. */
export function writeDeskKeys(dir: string, deskId: string, keys: readonly DeskJwk[]): DeskKeyFiles {
  const files = deskKeyFiles(dir, deskId);
  if (existsSync(files.privateFile)) throw new Error(`${files.privateFile} exists: a desk's private keys are not overwritten (move it away to make new ones)`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(files.privateFile, `${JSON.stringify({ keys }, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  writeFileSync(files.publicFile, `${JSON.stringify({ keys: keys.map(publicJwkOf) }, null, 2)}\n`);
  return files;
}

/** The desk's private keys, oldest first, as written by writeDeskKeys (a rotation appends the new ones). */
export function readDeskKeys(file: string): DeskJwk[] {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as { keys?: DeskJwk[] };
  const keys = parsed.keys ?? [];
  if (!keys.some((key) => key.use === 'sig' && key.d) || !keys.some((key) => key.use === 'enc' && key.d)) throw new Error(`${file} holds no private signing and encryption key ({"keys": [...]} with "d")`);
  return keys;
}
