// A person as a command body gives them: plaintext, validated strictly, under the same field
// names as the sealed person of the event, so the service hands the record to the vault
// (`sealFields(personId, person, PERSON_FIELDS)`) and nothing personal reaches the log in clear.
import { z } from 'zod';
import { childMatchesAgeGroup, distinctItems } from '../events/cross-field-rules.ts';
import type { PayloadRule } from '../events/cross-field-rules.ts';
import { victimProfileFields } from '../events/person.ts';
import { IsoDateSchema } from '../events/vocabulary.ts';
import { UlidSchema } from '../ids.ts';

export const PersonDetailsSchema = z.strictObject({
  fullName: z.string().trim().min(1).max(200),
  dateOfBirth: IsoDateSchema.refine((date) => date >= '1900-01-01', 'must be 1900-01-01 or later').optional().describe('YYYY-MM-DD'),
  idNumber: z.string().trim().regex(/^[A-Za-z0-9-]{3,32}$/, 'must be 3 to 32 letters, digits or hyphens').optional().describe('citizen ID, passport or other document number'),
  address: z.string().trim().min(1).max(500).optional(),
  phone: z.string().trim().regex(/^\+?[0-9][0-9 .-]{4,23}$/, 'must be a phone number: digits, spaces, dots or hyphens, optionally after +').optional(),
  photoRef: z.string().trim().min(1).max(500).optional().describe('where the photo is kept, not the photo'),
});
export type PersonDetails = z.infer<typeof PersonDetailsSchema>;

/** A person in a list a command records (recovered, returned): personId only when the backbone already knows them. */
export const PersonInputSchema = z
  .strictObject({
    personId: UlidSchema.optional().describe('when the person is already known; the service allocates one otherwise'),
    person: PersonDetailsSchema,
    ...victimProfileFields,
  })
  .superRefine(childMatchesAgeGroup);
export type PersonInput = z.infer<typeof PersonInputSchema>;

/** A known person is listed once; persons still without an id are all distinct. */
export const knownPersonsListedOnce: PayloadRule = distinctItems('persons', (item) => (item as PersonInput).personId ?? Symbol('new person'));
