// Fresh data keys drawn from the OS 32 at a time. One `randomBytes(32)` per new person was a
// system call each (~10 µs on this VM, 3% of the server under HTTP ingestion, one per tip).
// Key material should not linger, so the pool is private to the vault, each key's bytes are
// copied out and zeroed in the pool as they are handed over, and at most 31 future keys sit in
// memory: a process whose memory can be read has also given away the master key that wraps them.
import { randomFillSync } from 'node:crypto';

const KEYS_PER_DRAW = 32;

/** Draws `keyBytes` fresh random bytes per call; `pool` only for tests that look inside it. */
export function dataKeyPool(keyBytes: number, pool: Buffer = Buffer.alloc(keyBytes * KEYS_PER_DRAW)): () => Buffer {
  let at = pool.length;
  return () => {
    if (at === pool.length) {
      randomFillSync(pool);
      at = 0;
    }
    const key = Buffer.from(pool.subarray(at, at + keyBytes));
    pool.fill(0, at, at + keyBytes);
    at += keyBytes;
    return key;
  };
}
