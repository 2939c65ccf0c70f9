import { describe, expect, it } from 'vitest';
import { pooledRandomBytes, pooledRandomUnit } from './random-pool.ts';

describe('pooled random bytes', () => {
  it('hands out each byte once, across refills, as bytes the caller owns', () => {
    // 12-byte nonces across several 4 KiB refills: none repeats (a repeat would be a GCM nonce reuse).
    const seen = new Set<string>();
    for (let draw = 0; draw < 2_000; draw++) {
      const nonce = pooledRandomBytes(12);
      expect(nonce.length).toBe(12);
      seen.add(nonce.toString('hex'));
    }
    expect(seen.size).toBe(2_000);
    const mine = pooledRandomBytes(16);
    const copy = Buffer.from(mine);
    pooledRandomBytes(4096);
    expect(mine.equals(copy)).toBe(true);
  });

  it('draws units in [0, 1) on a 1/256 grid, and refuses more than a pool at once', () => {
    for (let draw = 0; draw < 5_000; draw++) {
      const unit = pooledRandomUnit();
      expect(unit).toBeGreaterThanOrEqual(0);
      expect(unit).toBeLessThan(1);
      expect(Number.isInteger(unit * 256)).toBe(true);
    }
    expect(() => pooledRandomBytes(4097)).toThrow(RangeError);
  });
});
