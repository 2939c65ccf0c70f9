import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CURRENT_PROVINCE_NAMES, CurrentProvinceSchema, PROVINCES, PROVINCE_NAMES, ProvinceSchema, currentProvinceOf } from './provinces.ts';

const formerNames = PROVINCES.flatMap((unit) => unit.formerly);

describe('provincial units', () => {
  it('has the 34 units of July 2025: 6 centrally-run cities and 28 provinces', () => {
    expect(PROVINCES).toHaveLength(34);
    expect(new Set(CURRENT_PROVINCE_NAMES).size).toBe(34);
    expect(PROVINCES.filter((unit) => unit.kind === 'city')).toHaveLength(6);
  });

  it('names 63 former units in all, each absorbed by exactly one current unit', () => {
    expect(new Set(formerNames).size).toBe(63);
    expect(formerNames).toHaveLength(63);
    for (const former of formerNames) {
      const absorbers = PROVINCES.filter((unit) => (unit.formerly as readonly string[]).includes(former));
      expect(absorbers.map((unit) => unit.name), former).toEqual([currentProvinceOf(former)]);
    }
  });

  it('maps former and current names to the current unit', () => {
    expect(currentProvinceOf('Đắk Nông')).toBe('Lâm Đồng');
    expect(currentProvinceOf('Bà Rịa - Vũng Tàu')).toBe('Hồ Chí Minh');
    expect(currentProvinceOf('Hà Giang')).toBe('Tuyên Quang');
    expect(currentProvinceOf('Hà Nội')).toBe('Hà Nội');
    for (const name of CURRENT_PROVINCE_NAMES) expect(currentProvinceOf(name)).toBe(name);
  });

  it('accepts every current and former name, exactly as written, and nothing else', () => {
    expect(PROVINCE_NAMES).toHaveLength(63);
    for (const name of PROVINCE_NAMES) expect(ProvinceSchema.safeParse(name).success, name).toBe(true);
    expect(ProvinceSchema.safeParse('Dak Nong').success).toBe(false);
    expect(ProvinceSchema.safeParse('Đắk Nông'.normalize('NFD')).success).toBe(false);
    expect(ProvinceSchema.safeParse('hà nội').success).toBe(false);
    expect(CurrentProvinceSchema.safeParse('Đắk Nông').success).toBe(false);
    expect(CurrentProvinceSchema.safeParse('Lâm Đồng').success).toBe(true);
  });

  // The shared folder sits beside the repo in the workspace the data came from, not in a clone.
  const source = join(import.meta.dirname, '..', '..', '..', '..', '..', 'shared', 'reference', 'vn-provinces-2025.json');
  it.skipIf(!existsSync(source))('matches the shared reference file it was copied from', () => {
    expect(PROVINCES).toEqual((JSON.parse(readFileSync(source, 'utf8')) as { provinces: unknown }).provinces);
  });
});
