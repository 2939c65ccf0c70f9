// The archive's verifiable log in the manner of RFC 9162 (Certificate Transparency 2.0, §2.1):
// leaves are SHA-256(0x00 ‖ entry), interior nodes SHA-256(0x01 ‖ left ‖ right), and the tree of
// n leaves splits at the largest power of two below n. Besides the leaves it keeps every complete
// (perfect, aligned) subtree's hash, level by level, so a tree head, an inclusion proof or a
// consistency proof for any size costs O(log² n) hashing at most, never a pass over the log.
// Each level is one growing byte array of 32-byte hashes rather than a Buffer per node: a million
// leaves then take about 64 MB instead of a gigabyte of small objects.
import { createHash, hash } from 'node:crypto';

const HASH_BYTES = 32;

const EMPTY_ROOT = createHash('sha256').digest();

export function leafHash(entry: string | Uint8Array): Buffer {
  return createHash('sha256').update(Buffer.from([0])).update(entry).digest();
}

const nodeInput = Buffer.alloc(1 + 2 * HASH_BYTES);

export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  // The common case, two 32-byte hashes, in one call and one allocation: proofs hash a lot.
  if (left.length === HASH_BYTES && right.length === HASH_BYTES) {
    nodeInput[0] = 1;
    nodeInput.set(left, 1);
    nodeInput.set(right, 1 + HASH_BYTES);
    return hash('sha256', nodeInput, 'buffer');
  }
  return createHash('sha256').update(Buffer.from([1])).update(left).update(right).digest();
}

/** The largest power of two smaller than n (n ≥ 2): where RFC 9162 splits a tree of n leaves. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** The hashes of one level, packed end to end; the array doubles when full. */
class HashLevel {
  private bytes = Buffer.alloc(HASH_BYTES * 16);
  length = 0;

  push(digest: Uint8Array): void {
    if (digest.length !== HASH_BYTES) throw new RangeError(`a hash is ${HASH_BYTES} bytes; got ${digest.length}`);
    if ((this.length + 1) * HASH_BYTES > this.bytes.length) {
      const grown = Buffer.alloc(this.bytes.length * 2);
      this.bytes.copy(grown);
      this.bytes = grown;
    }
    this.bytes.set(digest, this.length * HASH_BYTES);
    this.length++;
  }

  /** A view, not a copy: a stored hash never changes, and growing leaves old views intact. */
  at(index: number): Buffer | undefined {
    return index < this.length ? this.bytes.subarray(index * HASH_BYTES, (index + 1) * HASH_BYTES) : undefined;
  }
}

export class MerkleLog {
  /** levels[l].at(i) is the hash of the perfect subtree of 2^l leaves starting at leaf i·2^l. */
  private readonly levels: HashLevel[] = [new HashLevel()];

  get size(): number {
    return this.levels[0]!.length;
  }

  /** Appends one leaf hash (from `leafHash`), completing every subtree it closes. */
  append(leaf: Uint8Array): void {
    this.levels[0]!.push(leaf);
    for (let level = 0; ; level++) {
      const nodes = this.levels[level]!;
      if (nodes.length % 2 !== 0) return;
      const above = (this.levels[level + 1] ??= new HashLevel());
      above.push(nodeHash(nodes.at(nodes.length - 2)!, nodes.at(nodes.length - 1)!));
    }
  }

  leaf(index: number): Buffer {
    this.check(index, this.size, 'leaf');
    return this.levels[0]!.at(index)!;
  }

  /** The root of the first `size` leaves (RFC 9162 MTH), the hash a tree head signs. */
  root(size = this.size): Buffer {
    this.check(size, this.size + 1, 'tree size');
    return size === 0 ? EMPTY_ROOT : this.range(0, size);
  }

  /** The audit path of leaf `index` in the tree of the first `size` leaves (RFC 9162 §2.1.3.1). */
  inclusionProof(index: number, size = this.size): Buffer[] {
    this.check(size, this.size + 1, 'tree size');
    this.check(index, size, 'leaf');
    const path: Buffer[] = [];
    // Walk down from the whole range, collecting the sibling of the side that holds the leaf.
    const walk = (start: number, end: number): void => {
      if (end - start === 1) return;
      const k = splitPoint(end - start);
      if (index < start + k) {
        walk(start, start + k);
        path.push(this.range(start + k, end));
      } else {
        walk(start + k, end);
        path.push(this.range(start, start + k));
      }
    };
    walk(0, size);
    return path;
  }

  /** The proof that the tree of `older` leaves is a prefix of the tree of `newer` (RFC 9162 §2.1.4.1). */
  consistencyProof(older: number, newer = this.size): Buffer[] {
    this.check(newer, this.size + 1, 'tree size');
    if (older < 1 || older > newer) throw new RangeError(`consistency needs 1 ≤ older (${older}) ≤ newer (${newer})`);
    const proof: Buffer[] = [];
    const subproof = (m: number, start: number, end: number, complete: boolean): void => {
      const n = end - start;
      if (m === n) {
        if (!complete) proof.push(this.range(start, end));
        return;
      }
      const k = splitPoint(n);
      if (m <= k) {
        subproof(m, start, start + k, complete);
        proof.push(this.range(start + k, end));
      } else {
        subproof(m - k, start + k, end, false);
        proof.push(this.range(start, start + k));
      }
    };
    subproof(older, 0, newer, true);
    return proof;
  }

  /** MTH of leaves [start, end): perfect aligned pieces come from the levels, the rest splits. */
  private range(start: number, end: number): Buffer {
    const n = end - start;
    if (n === 1) return this.levels[0]!.at(start)!;
    // A perfect subtree aligned on its size is stored.
    if ((n & (n - 1)) === 0 && start % n === 0) {
      const level = Math.log2(n);
      const stored = this.levels[level]?.at(start / n);
      if (stored) return stored;
    }
    const k = splitPoint(n);
    return nodeHash(this.range(start, start + k), this.range(start + k, end));
  }

  private check(value: number, limit: number, what: string): void {
    if (!Number.isInteger(value) || value < 0 || value >= limit) throw new RangeError(`${what} ${value} is outside 0..${limit - 1}`);
  }
}
