import { describe, expect, it } from 'vitest';
import { newId } from '@nrm/contracts';
import { erasureRequestOf } from './erase.ts';

describe('nrm erase arguments', () => {
  const personId = newId();
  it('needs the agency, a personId and a reason, and says which is missing', () => {
    expect(erasureRequestOf({ agency: 'protection', person: personId, reason: '  court order 12/2026 ' })).toEqual({ agency: 'protection', personId, reason: 'court order 12/2026' });
    expect(() => erasureRequestOf({ person: personId, reason: 'court order' })).toThrow(/--agency/);
    expect(() => erasureRequestOf({ agency: 'liaison', person: personId, reason: 'court order' })).toThrow(/--agency/);
    expect(() => erasureRequestOf({ agency: 'protection', person: 'Nguyen Van A', reason: 'court order' })).toThrow(/--person/);
    expect(() => erasureRequestOf({ agency: 'protection', person: personId, reason: 'x' })).toThrow(/--reason/);
  });
});
