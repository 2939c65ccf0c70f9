// Cryptographic random bytes drawn from the OS 4 KiB at a time. Asking the OS for a few bytes at
// a time costs about 3 µs a call here, and hot paths want many small draws: 16 characters per
// ULID, a 12-byte nonce per sealed field. Not for key material, which should not sit in a shared
// buffer: the vault draws keys from a pool of its own that zeroes what it hands out (data-key-pool.ts).
import { randomFillSync } from 'node:crypto';

const pool = Buffer.alloc(4096);
let at = pool.length;

function refillFor(count: number): void {
  if (pool.length - at < count) {
    randomFillSync(pool);
    at = 0;
  }
}

/** One random byte as a number in [0, 1) with 256 equally likely values (a ULID character's source). */
export function pooledRandomUnit(): number {
  refillFor(1);
  return pool[at++]! / 256;
}

/** `count` (at most 4096) fresh random bytes, e.g. a nonce; each byte is handed out once. */
export function pooledRandomBytes(count: number): Buffer {
  if (count > pool.length) throw new RangeError(`at most ${pool.length} pooled random bytes at a time`);
  refillFor(count);
  const bytes = Buffer.from(pool.subarray(at, at + count));
  at += count;
  return bytes;
}
