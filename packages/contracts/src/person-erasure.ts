// Erasure of a person (crypto-shredding): the vault destroys the person's data keys, so every
// sealed field about them — in the log, in projections, in packets — can never be opened again,
// while the log itself stays whole and verifiable. The erasure is a fact of the log like any
// other: who asked, why, how many keys this agency's key store destroyed. An erasure recorded by
// one agency is carried out by every other (each destroys the keys its own key store holds) and
// each records its own part, so an auditor sees where the keys were destroyed.
import { z } from 'zod';
import { REFERRAL_AGENCIES } from './agencies.ts';
import type { ReferralAgency } from './agencies.ts';
import { IsoTimeSchema } from './envelope.ts';
import { UlidSchema } from './ids.ts';
import { defineEvent } from './registry.ts';
import type { EventDefinition } from './registry.ts';

export const ERASURE_REASON_MAX_LENGTH = 500;

export const PersonErasedSchema = z.strictObject({
  personId: UlidSchema.describe('whose data keys were destroyed'),
  reason: z.string().trim().min(5).max(ERASURE_REASON_MAX_LENGTH).describe('why, in the words of who asked (a request of the person, a court order…); never personal data'),
  keysDestroyed: z.int().min(0).describe("how many data keys this agency's key store destroyed (0 when it held none or they were already destroyed)"),
  erasedAt: IsoTimeSchema.describe('when the keys were first destroyed in this key store'),
});
export type PersonErased = z.infer<typeof PersonErasedSchema>;

function erasureEventsOf(agency: ReferralAgency): EventDefinition[] {
  return [
    defineEvent({
      agency,
      name: 'PersonErased',
      schema: PersonErasedSchema,
      description: `${agency} destroyed a person's data keys (crypto-shredding): their sealed fields can never be read again, the log stays intact. Recorded where the erasure was asked and wherever another key store held keys of the person.`,
    }),
  ];
}

export const personErasureEvents: EventDefinition[] = REFERRAL_AGENCIES.flatMap(erasureEventsOf);

/** The stream an agency records a person's erasure in. */
export function erasureStream(agency: ReferralAgency, personId: string): string {
  return `${agency}-person-${personId}`;
}
