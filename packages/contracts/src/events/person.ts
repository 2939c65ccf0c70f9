// How an event speaks of a person: by `personId`, the vault subject whose key seals everything
// personal about them, with who they are only in sealed fields and, in clear, only what
// statistics count (sex, age group, child or adult, nationality).
import { z } from 'zod';
import { UlidSchema } from '../ids.ts';
import { CountrySchema } from '../reference/countries.ts';
import { personal } from '../sealed-field.ts';
import { childMatchesAgeGroup, sealedFor } from './cross-field-rules.ts';
import { AgeGroupSchema, SexSchema } from './vocabulary.ts';

/** The sealed fields of a person; a command's plaintext person uses the same names, so the vault seals it field by field. */
export const PERSON_FIELDS = ['fullName', 'dateOfBirth', 'idNumber', 'address', 'phone', 'photoRef'] as const;

export const SealedPersonSchema = z.strictObject({
  fullName: personal(),
  dateOfBirth: personal().optional(),
  idNumber: personal().optional().describe('citizen ID, passport or other document number'),
  address: personal().optional(),
  phone: personal().optional(),
  photoRef: personal().optional().describe('where the photo is kept, not the photo'),
});
export type SealedPerson = z.infer<typeof SealedPersonSchema>;

export const NATIONALITY_STATES = ['stateless', 'undetermined'] as const;
export const NationalitySchema = z.union([CountrySchema, z.enum(NATIONALITY_STATES)]).describe('ISO 3166-1 alpha-2, or stateless, or not yet determined');

/** The clear, countable facts about a victim; `child` means under 18 and must agree with a known age group. */
export const victimProfileFields = {
  sex: SexSchema,
  ageGroup: AgeGroupSchema,
  child: z.boolean().describe('under 18; must agree with ageGroup unless it is unknown'),
  nationality: NationalitySchema,
};

/** A person in a list (recovered, returned, handed over): who, sealed for their own personId, and the countable facts. */
export const ListedPersonSchema = z
  .strictObject({ personId: UlidSchema, person: SealedPersonSchema, ...victimProfileFields })
  .superRefine(sealedFor('personId', ['person']))
  .superRefine(childMatchesAgeGroup);
export type ListedPerson = z.infer<typeof ListedPersonSchema>;

/** A person named only by id with the countable facts, where the personal data stays in the vault (outgoing handovers). */
export const ProfiledPersonSchema = z.strictObject({ personId: UlidSchema, ...victimProfileFields }).superRefine(childMatchesAgeGroup);
export type ProfiledPerson = z.infer<typeof ProfiledPersonSchema>;
