import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BORDER_GATES, BorderGateSchema, borderGateOf, gatesOf } from './border-gates.ts';
import { NEIGHBOUR_COUNTRIES } from './countries.ts';
import { CURRENT_PROVINCE_NAMES } from './provinces.ts';

describe('border gates', () => {
  it('has gates on the border with each neighbour, each gate once', () => {
    for (const country of NEIGHBOUR_COUNTRIES) expect(gatesOf(country).length, country).toBeGreaterThan(0);
    expect(NEIGHBOUR_COUNTRIES.reduce((sum, country) => sum + gatesOf(country).length, 0)).toBe(BORDER_GATES.length);
    expect(new Set(BORDER_GATES.map((entry) => entry.gate)).size).toBe(BORDER_GATES.length);
  });

  it('puts every gate in a current provincial unit, facing a named gate', () => {
    for (const entry of BORDER_GATES) {
      expect(CURRENT_PROVINCE_NAMES, entry.gate).toContain(entry.province);
      expect(entry.facing.length, entry.gate).toBeGreaterThan(0);
    }
  });

  it('looks a gate up by its Vietnamese name', () => {
    expect(borderGateOf('Mộc Bài')).toEqual({ gate: 'Mộc Bài', province: 'Tây Ninh', country: 'KH', facing: 'Bavet' });
    expect(gatesOf('CN').map((entry) => entry.gate)).toContain('Hữu Nghị');
    expect(BorderGateSchema.safeParse('Moc Bai').success).toBe(false);
    expect(BorderGateSchema.safeParse('Lao Bảo').success).toBe(true);
  });

  // The shared folder sits beside the repo in the workspace the data came from, not in a clone.
  const source = join(import.meta.dirname, '..', '..', '..', '..', '..', 'shared', 'reference', 'border-gates.json');
  it.skipIf(!existsSync(source))('matches the shared reference file it was copied from', () => {
    expect(BORDER_GATES).toEqual((JSON.parse(readFileSync(source, 'utf8')) as { gates: unknown }).gates);
  });
});
