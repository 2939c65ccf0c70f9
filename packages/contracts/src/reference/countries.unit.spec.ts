import { describe, expect, it } from 'vitest';
import { CountrySchema, NEIGHBOUR_COUNTRIES } from './countries.ts';

describe('countries', () => {
  it('takes ISO 3166-1 alpha-2 codes in capitals only', () => {
    for (const code of ['VN', 'KH', 'CN', 'LA', 'MY', 'KR']) expect(CountrySchema.safeParse(code).success, code).toBe(true);
    for (const code of ['vn', 'VNM', 'V', 'Viet Nam', '', 'V1']) expect(CountrySchema.safeParse(code).success, code).toBe(false);
  });

  it('knows the three neighbours with land border gates', () => {
    expect([...NEIGHBOUR_COUNTRIES].sort()).toEqual(['CN', 'KH', 'LA']);
  });
});
