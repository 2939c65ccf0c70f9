// Countries are ISO 3166-1 alpha-2 codes: nationality, where exploitation happened, where a
// person returns from or is returned to. Only the format is checked, so a code newly assigned
// by ISO needs no release of the contracts.
import { z } from 'zod';

export const HOME_COUNTRY = 'VN';

/** The countries Viet Nam shares a land border with, where most cross-border handovers happen. */
export const NEIGHBOUR_COUNTRIES = ['KH', 'CN', 'LA'] as const;
export const NeighbourCountrySchema = z.enum(NEIGHBOUR_COUNTRIES);
export type NeighbourCountry = z.infer<typeof NeighbourCountrySchema>;

export const CountrySchema = z
  .string()
  .regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code in capitals, e.g. VN, KH')
  .meta({ title: 'Country', description: 'ISO 3166-1 alpha-2 code' });
export type Country = z.infer<typeof CountrySchema>;
