import { describe, expect, it } from 'vitest';
import { UlidSchema, deriveId, newId, ulidTime } from './ids.ts';

describe('ids', () => {
  it('makes ULIDs that sort by time and carry it', () => {
    const first = newId(1_700_000_000_000);
    const second = newId(1_700_000_000_001);
    expect(UlidSchema.safeParse(first).success).toBe(true);
    expect(first < second).toBe(true);
    expect(ulidTime(first)).toBe(1_700_000_000_000);
  });

  it('derives the same id from the same cause and purpose, and different ids otherwise', () => {
    const source = newId();
    expect(deriveId(source, 'accept')).toBe(deriveId(source, 'accept'));
    expect(deriveId(source, 'accept')).not.toBe(deriveId(source, 'decline'));
    expect(deriveId(source, 'accept')).not.toBe(deriveId(newId(), 'accept'));
    expect(UlidSchema.safeParse(deriveId(source, 'accept')).success).toBe(true);
    expect(ulidTime(deriveId(source, 'accept'))).toBe(ulidTime(source));
  });

  it('rejects what is not a ULID', () => {
    for (const bad of ['', 'not-a-ulid', '01ARZ3NDEKTSV4RRFFQ69G5FAVX', '8ZZZZZZZZZZZZZZZZZZZZZZZZZ', '01arz3ndektsv4rrffq69g5fav', '01ARZ3NDEKTSV4RRFFQ69G5FAI']) {
      expect(UlidSchema.safeParse(bad).success, bad).toBe(false);
    }
  });
});
