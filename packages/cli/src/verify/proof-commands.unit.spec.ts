// The proof checks of `nrm verify inclusion|consistency` against a log kept here and heads
// signed here: genuine proofs pass, and every forgery names what failed.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CompactSign, calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose';
import type { JSONWebKeySet } from 'jose';
import { MerkleLog, leafHash } from '@nrm/audit';
import { canonicalize, newId } from '@nrm/contracts';
import { CliError } from '../cli-error.ts';
import { TREE_HEAD_TYPE, checkConsistency, checkInclusion, proofSubcommands, readTreeHead } from './proof-commands.ts';
import type { AuditLogSource, SignedTreeHead } from './proof-commands.ts';

async function signingKey() {
  const { privateKey, publicKey } = await generateKeyPair('Ed25519');
  const jwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(jwk);
  const jwks: JSONWebKeySet = { keys: [{ ...jwk, kid, alg: 'EdDSA', use: 'sig' }] };
  async function sign(log: MerkleLog, treeSize = log.size, typ = TREE_HEAD_TYPE): Promise<SignedTreeHead> {
    const fields = { treeSize, rootHash: log.root(treeSize).toString('base64'), timestamp: new Date().toISOString(), logId: kid };
    const signature = await new CompactSign(new TextEncoder().encode(canonicalize(fields))).setProtectedHeader({ alg: 'EdDSA', kid, typ }).sign(privateKey);
    return { ...fields, signature };
  }
  return { jwks, sign };
}

const key = await signingKey();
const otherKey = await signingKey();
const envelopes = Array.from({ length: 37 }, () => canonicalize({ id: newId(), type: 'intake.TipReceived', data: { note: 'archived' } }));
const log = new MerkleLog();
for (const envelope of envelopes) log.append(leafHash(envelope));
const idOf = (index: number) => (JSON.parse(envelopes[index]!) as { id: string }).id;

/** The audit service as an honest log would answer, with `tamper` to falsify one answer. */
function sourceOf(tamper: { envelope?: (text: string) => string; path?: (path: string[]) => string[]; consistency?: (proof: string[]) => string[] } = {}): AuditLogSource {
  return {
    jwks: async () => key.jwks,
    treeHead: (treeSize) => key.sign(log, treeSize),
    async inclusionProof(eventId, treeSize) {
      const leafIndex = envelopes.findIndex((envelope) => envelope.includes(eventId));
      if (leafIndex < 0) return undefined;
      const auditPath = log.inclusionProof(leafIndex, treeSize).map((hash) => hash.toString('base64'));
      return { eventId, leafIndex, treeSize, leafHash: log.leaf(leafIndex).toString('base64'), auditPath: tamper.path?.(auditPath) ?? auditPath, envelope: tamper.envelope?.(envelopes[leafIndex]!) ?? envelopes[leafIndex]! };
    },
    async consistencyProof(first, second) {
      const proof = log.consistencyProof(first, second).map((hash) => hash.toString('base64'));
      return { first, second, proof: tamper.consistency?.(proof) ?? proof };
    },
  };
}

const forgedHash = Buffer.alloc(32, 7).toString('base64');

describe('checkInclusion', () => {
  it('proves every event in the current head and in every older head that covers it', async () => {
    for (const index of [0, 1, 12, 31, 32, 36]) {
      const verdict = await checkInclusion(sourceOf(), { eventId: idOf(index) });
      expect(verdict.ok, verdict.lines.join('\n')).toBe(true);
      expect(verdict.lines[0]).toContain(`leaf ${index} of the tree head of 37 leaves`);
      expect((await checkInclusion(sourceOf(), { eventId: idOf(index), treeSize: index + 1 })).ok).toBe(true);
    }
  });

  it('fails a changed envelope, a forged audit path, an unknown event and a head not signed by the log', async () => {
    const eventId = idOf(5);
    const changed = await checkInclusion(sourceOf({ envelope: (text) => text.replace('archived', 'altered') }), { eventId });
    expect(changed).toMatchObject({ ok: false, lines: [expect.stringContaining('is not the hash of the event')] });
    const forgedPath = await checkInclusion(sourceOf({ path: (path) => [forgedHash, ...path.slice(1)] }), { eventId });
    expect(forgedPath).toMatchObject({ ok: false, lines: [expect.stringContaining('audit path does not lead')] });
    const otherEvent = await checkInclusion(sourceOf({ envelope: () => envelopes[6]! }), { eventId });
    expect(otherEvent.lines[0]).toContain(`is event ${idOf(6)}`);
    expect((await checkInclusion(sourceOf(), { eventId: newId() })).lines[0]).toContain('is not in the audit log');

    const foreign = await checkInclusion(sourceOf(), { eventId, head: await otherKey.sign(log) });
    expect(foreign).toMatchObject({ ok: false, lines: [expect.stringContaining('signature does not verify')] });
    const genuine = await key.sign(log);
    const alteredRoot = await checkInclusion(sourceOf(), { eventId, head: { ...genuine, rootHash: forgedHash } });
    expect(alteredRoot.lines[0]).toContain('fields differ from what the signature covers');
    const wrongType = await checkInclusion(sourceOf(), { eventId, head: await key.sign(log, log.size, 'JWT') });
    expect(wrongType.lines[0]).toContain(`not a ${TREE_HEAD_TYPE}`);
  });
});

describe('checkConsistency', () => {
  it('verifies that every older head is a prefix of a newer one', async () => {
    for (const [first, second] of [[1, 37], [7, 37], [8, 16], [20, 21], [37, 37]] as const) {
      const verdict = await checkConsistency(sourceOf(), await key.sign(log, first), await key.sign(log, second));
      expect(verdict.ok, `${first}→${second}: ${verdict.lines.join('\n')}`).toBe(true);
    }
  });

  it('fails a forged proof, a head of another history, heads in the wrong order and a head not signed by the log', async () => {
    const older = await key.sign(log, 10);
    const newer = await key.sign(log);
    const forged = await checkConsistency(sourceOf({ consistency: (proof) => [...proof.slice(0, -1), forgedHash] }), older, newer);
    expect(forged).toMatchObject({ ok: false, lines: [expect.stringContaining('consistency proof does not tie')] });

    const rewritten = new MerkleLog();
    for (const [index, envelope] of envelopes.entries()) rewritten.append(leafHash(index === 3 ? envelope.replace('archived', 'altered') : envelope));
    expect((await checkConsistency(sourceOf(), await key.sign(rewritten, 10), newer)).ok).toBe(false);
    expect((await checkConsistency(sourceOf(), await key.sign(rewritten, 37), newer)).lines[0]).toContain('different roots');
    expect((await checkConsistency(sourceOf(), newer, older)).lines[0]).toContain('is larger than the new one');
    const unsigned = await checkConsistency(sourceOf(), await otherKey.sign(log, 10), newer);
    expect(unsigned.lines[0]).toContain('the old tree head of 10 leaves');
    expect(unsigned.lines[0]).toContain('is not authentic');
  });
});

describe('the subcommands', () => {
  it('read a saved head, and refuse files that are not one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nrm-proofs-'));
    const head = await key.sign(log, 12);
    writeFileSync(join(dir, 'head.json'), JSON.stringify(head));
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ treeSize: 'twelve' }));
    expect(await readTreeHead(join(dir, 'head.json'))).toEqual(head);
    await expect(readTreeHead(join(dir, 'bad.json'))).rejects.toThrow(/not a signed tree head/);
    await expect(readTreeHead(join(dir, 'missing.json'))).rejects.toBeInstanceOf(CliError);
  });

  it('refuse bad usage before asking the service anything', async () => {
    await expect(proofSubcommands.inclusion.run({ values: {}, positionals: [] })).rejects.toThrow(/--event/);
    await expect(proofSubcommands.inclusion.run({ values: { event: newId(), 'tree-size': 'ten' }, positionals: [] })).rejects.toThrow(/--tree-size must be/);
    await expect(proofSubcommands.consistency.run({ values: {}, positionals: [] })).rejects.toThrow(/--old/);
    await expect(proofSubcommands.consistency.run({ values: { first: '1', new: 'a.json', second: '3' }, positionals: [] })).rejects.toThrow(/not both/);
  });
});
