// Who looked (issue: "every read of a case's personal data through any service is recorded as an
// access event"). A read of sealed personal fields is recorded in the reading agency's own case
// stream before any plaintext leaves the service, so it is archived and covered by the audit's
// Merkle log like every other event: a read cannot be hidden afterwards. The event names what was
// read (which event, which field) and why; it never holds the plaintext.
import { z } from 'zod';
import { REFERRAL_AGENCIES } from './agencies.ts';
import type { ReferralAgency } from './agencies.ts';
import { UlidSchema } from './ids.ts';
import { defineEvent } from './registry.ts';
import type { EventDefinition } from './registry.ts';

export const PURPOSE_MAX_LENGTH = 500;

export const ReadFieldSchema = z.strictObject({
  eventId: UlidSchema.describe('the event that holds the sealed field'),
  path: z.string().min(1).max(200).describe('where the field sits in that event’s data, e.g. `person.fullName`'),
});

export const PersonalDataAccessedSchema = z.strictObject({
  personId: UlidSchema.describe('whose personal data was read'),
  fields: z.array(ReadFieldSchema).min(1).max(200),
  purpose: z.string().trim().min(5).max(PURPOSE_MAX_LENGTH).describe('why the reader needed the plaintext, in the reader’s words'),
});
export type PersonalDataAccessed = z.infer<typeof PersonalDataAccessedSchema>;

function accessEventsOf(agency: ReferralAgency): EventDefinition[] {
  return [
    defineEvent({
      agency,
      name: 'PersonalDataAccessed',
      schema: PersonalDataAccessedSchema,
      description: `An officer of ${agency} read sealed personal fields of a person in the case (who is the event's actor; what and why are here). Recorded before the plaintext is returned.`,
    }),
  ];
}

export const personalDataAccessEvents: EventDefinition[] = REFERRAL_AGENCIES.flatMap(accessEventsOf);
