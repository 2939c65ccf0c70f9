// The Merkle log against RFC 9162's recursive definitions (computed naively here, straight from
// the text) for every tree size and every proof up to 64 leaves, a known RFC 6962 test vector,
// and forged proofs, which must all fail.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MerkleLog, leafHash, nodeHash, splitPoint } from './merkle-log.ts';
import { verifyConsistency, verifyInclusion } from './merkle-proofs.ts';

const entries = Array.from({ length: 64 }, (_, i) => `event-${i}`);
const leaves = entries.map((entry) => leafHash(entry));

/** MTH(D[n]) exactly as RFC 9162 §2.1.1 defines it. */
function mth(hashes: readonly Buffer[]): Buffer {
  if (hashes.length === 0) return createHash('sha256').digest();
  if (hashes.length === 1) return hashes[0]!;
  const k = splitPoint(hashes.length);
  return nodeHash(mth(hashes.slice(0, k)), mth(hashes.slice(k)));
}

function logOf(count: number): MerkleLog {
  const log = new MerkleLog();
  for (const leaf of leaves.slice(0, count)) log.append(leaf);
  return log;
}

const full = logOf(64);

describe('MerkleLog', () => {
  it('has the RFC 9162 root for every size, from one log that keeps growing', () => {
    expect(new MerkleLog().root().toString('hex')).toBe(createHash('sha256').digest('hex'));
    for (let size = 1; size <= 64; size++) expect(full.root(size).equals(mth(leaves.slice(0, size))), `size ${size}`).toBe(true);
  });

  it('matches the RFC 6962 reference tree of eight leaves', () => {
    const inputs = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'];
    const log = new MerkleLog();
    for (const input of inputs) log.append(leafHash(Buffer.from(input, 'hex')));
    expect(log.root(1).toString('hex')).toBe('6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d');
    expect(log.root().toString('hex')).toBe('5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328');
  });

  it('proves every leaf of every tree size, and nothing else', () => {
    for (let size = 1; size <= 40; size++) {
      const root = full.root(size);
      for (let index = 0; index < size; index++) {
        const path = full.inclusionProof(index, size);
        expect(verifyInclusion(leaves[index]!, index, size, path, root), `${index} of ${size}`).toBe(true);
        // (The tree size is bound by the signed tree head, not by the path: RFC 9162 §2.1.3.2.)
        if (size > 1) expect(verifyInclusion(leaves[index]!, (index + 1) % size, size, path, root), `claimed at ${(index + 1) % size}`).toBe(false);
        if (size > 1) expect(verifyInclusion(leaves[(index + 1) % size]!, index, size, path, root)).toBe(false);
        if (path.length > 0) {
          const forged = path.map((hash) => Buffer.from(hash));
          forged[0]![0]! ^= 1;
          expect(verifyInclusion(leaves[index]!, index, size, forged, root)).toBe(false);
          expect(verifyInclusion(leaves[index]!, index, size, path.slice(1), root)).toBe(false);
        }
      }
    }
  });

  it('proves every older tree a prefix of every newer one, and refuses forgeries', () => {
    for (let newer = 1; newer <= 40; newer++) {
      for (let older = 1; older <= newer; older++) {
        const proof = full.consistencyProof(older, newer);
        expect(verifyConsistency(older, newer, full.root(older), full.root(newer), proof), `${older} → ${newer}`).toBe(true);
        if (older < newer) {
          // A different history of the same older size: one leaf changed.
          const rewritten = logOf(newer);
          const other = new MerkleLog();
          for (let i = 0; i < older; i++) other.append(i === 0 ? leafHash('rewritten') : leaves[i]!);
          expect(verifyConsistency(older, newer, other.root(), rewritten.root(), proof)).toBe(false);
          const forged = proof.map((hash) => Buffer.from(hash));
          forged[forged.length - 1]![31]! ^= 1;
          expect(verifyConsistency(older, newer, full.root(older), full.root(newer), forged)).toBe(false);
          expect(verifyConsistency(older, newer, full.root(older), full.root(newer), [])).toBe(false);
        }
      }
    }
  });

  it('refuses sizes and indexes outside the log', () => {
    const log = logOf(5);
    expect(() => log.root(6)).toThrow(RangeError);
    expect(() => log.inclusionProof(5, 5)).toThrow(RangeError);
    expect(() => log.consistencyProof(0, 5)).toThrow(RangeError);
    expect(() => log.consistencyProof(3, 6)).toThrow(RangeError);
  });
});
