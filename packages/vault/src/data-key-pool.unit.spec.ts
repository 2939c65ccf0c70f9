import { describe, expect, it } from 'vitest';
import { dataKeyPool } from './data-key-pool.ts';

describe('data key pool', () => {
  it('hands out distinct keys of the asked length, leaves no copy of one behind, and draws again when empty', () => {
    const pool = Buffer.alloc(4 * 32);
    const next = dataKeyPool(32, pool);
    const keys = Array.from({ length: 10 }, () => next());
    expect(keys.every((key) => key.length === 32)).toBe(true);
    expect(new Set(keys.map((key) => key.toString('hex'))).size).toBe(10);
    // 10 keys from a pool of 4: the third draw handed out two, the rest of it still waits.
    expect(pool.subarray(0, 64).every((byte) => byte === 0)).toBe(true);
    expect(pool.subarray(64).some((byte) => byte !== 0)).toBe(true);
    // A key handed out is a copy: zeroing it after use changes nothing the pool will hand out.
    const handed = next();
    const copy = Buffer.from(handed);
    handed.fill(0);
    expect(copy.some((byte) => byte !== 0)).toBe(true);
    expect(pool.subarray(64, 96).every((byte) => byte === 0)).toBe(true);
  });
});
