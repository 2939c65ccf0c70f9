// Checking the log's proofs without the log, as an auditor's own tool would: the verification
// algorithms of RFC 9162 §2.1.3.2 (inclusion) and §2.1.4.2 (consistency), word for word, so a
// proof from this service verifies with any RFC 9162 implementation and the other way round.
import { nodeHash } from './merkle-log.ts';

const isPowerOfTwo = (n: number) => n > 0 && (n & (n - 1)) === 0;

/** True when `path` proves that `leaf` is leaf `index` of the tree of `size` leaves whose root is `root`. */
export function verifyInclusion(leaf: Uint8Array, index: number, size: number, path: readonly Uint8Array[], root: Uint8Array): boolean {
  if (!Number.isInteger(index) || !Number.isInteger(size) || index < 0 || index >= size) return false;
  let fn = index;
  let sn = size - 1;
  let r: Buffer = Buffer.from(leaf);
  for (const p of path) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && r.equals(Buffer.from(root));
}

/** True when `proof` proves that the tree of `older` leaves (root `olderRoot`) is a prefix of the tree of `newer` leaves (root `newerRoot`). */
export function verifyConsistency(older: number, newer: number, olderRoot: Uint8Array, newerRoot: Uint8Array, proof: readonly Uint8Array[]): boolean {
  if (!Number.isInteger(older) || !Number.isInteger(newer) || older < 1 || older > newer) return false;
  if (older === newer) return proof.length === 0 && Buffer.from(olderRoot).equals(Buffer.from(newerRoot));
  if (proof.length === 0) return false;
  const path = isPowerOfTwo(older) ? [olderRoot, ...proof] : [...proof];
  let fn = older - 1;
  let sn = newer - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr: Buffer = Buffer.from(path[0]!);
  let sr: Buffer = Buffer.from(path[0]!);
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return fr.equals(Buffer.from(olderRoot)) && sr.equals(Buffer.from(newerRoot)) && sn === 0;
}
