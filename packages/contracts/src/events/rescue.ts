// Rescue (giải cứu) and cross-border return: a rescue is requested, planned and executed, and
// the persons recovered are recorded; victims returned from abroad are received at a border
// gate (tiếp nhận trở về, an incoming handover); foreign victims are returned to their country
// (trao trả, an outgoing handover), planned, scheduled and completed. Each outgoing handover
// event carries the whole of the handover's facts, so the liaison service can build the
// packet for the destination country's desk from any one of them.
import { z } from 'zod';
import { IsoTimeSchema } from '../envelope.ts';
import { UlidSchema } from '../ids.ts';
import { BorderGateSchema } from '../reference/border-gates.ts';
import { CountrySchema } from '../reference/countries.ts';
import { ProvinceSchema } from '../reference/provinces.ts';
import { defineEvent } from '../registry.ts';
import type { EventDefinition } from '../registry.ts';
import { personal } from '../sealed-field.ts';
import { distinctItems, foreignCountry, gateOnBorderWith, noMoreThan, provinceOnlyInVietNam, sealedFor } from './cross-field-rules.ts';
import type { PayloadRule } from './cross-field-rules.ts';
import { ListedPersonSchema, ProfiledPersonSchema } from './person.ts';
import { InstitutionTextSchema, IsoDateSchema, RiskLevelSchema } from './vocabulary.ts';

export const RESCUE_REQUESTERS = ['referral', 'police', 'border-guard', 'foreign-authority', 'family', 'victim', 'ngo'] as const;
export const RescueRequesterSchema = z.enum(RESCUE_REQUESTERS);

export const RESCUE_FORCES = ['police', 'border-guard', 'military', 'foreign-authority', 'social-workers', 'medical', 'ngo'] as const;
export const RescueForceSchema = z.enum(RESCUE_FORCES);

export const RESCUE_OUTCOMES = ['persons-recovered', 'no-one-found', 'called-off'] as const;
export const RescueOutcomeSchema = z.enum(RESCUE_OUTCOMES);

export const HANDOVER_NEEDS = ['medical-care', 'escort', 'interpreter', 'psychological-support', 'child-protection-officer', 'travel-documents'] as const;
export const HandoverNeedSchema = z.enum(HANDOVER_NEEDS);

const personsById = (item: unknown) => (item as { personId?: unknown }).personId;

export const referralIdExactlyWhenReferred: PayloadRule = (value, ctx) => {
  if ((value.requestedBy === 'referral') !== (value.referralId !== undefined)) ctx.addIssue({ code: 'custom', path: ['referralId'], message: 'is given exactly when requestedBy is referral' });
};

export const recoveredCountMatchesOutcome: PayloadRule = (value, ctx) => {
  if (typeof value.personsRecovered !== 'number') return;
  if ((value.outcome === 'persons-recovered') !== value.personsRecovered > 0) ctx.addIssue({ code: 'custom', path: ['personsRecovered'], message: 'is more than 0 exactly when the outcome is persons-recovered' });
};

export const RescueRequestedSchema = z
  .strictObject({
    rescueId: UlidSchema.describe('the rescue; also the vault subject that seals its locality'),
    requestedBy: RescueRequesterSchema,
    referralId: UlidSchema.optional().describe('the referral that asked for it, when requestedBy is referral'),
    country: CountrySchema.describe('where the people to rescue are'),
    province: ProvinceSchema.optional().describe('when in Viet Nam'),
    locality: personal().optional().describe('where exactly: sealed for rescueId'),
    peopleCount: z.int().min(1).max(10_000),
    minorCount: z.int().min(0).max(10_000).optional().describe('at most peopleCount'),
    urgency: RiskLevelSchema,
  })
  .superRefine(provinceOnlyInVietNam)
  .superRefine(noMoreThan('minorCount', 'peopleCount'))
  .superRefine(sealedFor('rescueId', ['locality']))
  .superRefine(referralIdExactlyWhenReferred);
export type RescueRequested = z.infer<typeof RescueRequestedSchema>;

export const RescueOperationPlannedSchema = z
  .strictObject({
    rescueId: UlidSchema,
    plannedFor: IsoTimeSchema.describe('when the operation is to start (UTC)'),
    country: CountrySchema,
    province: ProvinceSchema.optional().describe('when in Viet Nam'),
    forces: z.array(RescueForceSchema).min(1).max(RESCUE_FORCES.length).describe('who takes part, each once'),
  })
  .superRefine(provinceOnlyInVietNam)
  .superRefine(distinctItems('forces'));
export type RescueOperationPlanned = z.infer<typeof RescueOperationPlannedSchema>;

export const RescueOperationExecutedSchema = z
  .strictObject({
    rescueId: UlidSchema,
    outcome: RescueOutcomeSchema,
    personsRecovered: z.int().min(0).max(10_000).describe('more than 0 exactly when the outcome is persons-recovered'),
    minorsRecovered: z.int().min(0).max(10_000).describe('at most personsRecovered'),
    suspectsDetained: z.int().min(0).max(10_000),
  })
  .superRefine(noMoreThan('minorsRecovered', 'personsRecovered'))
  .superRefine(recoveredCountMatchesOutcome);
export type RescueOperationExecuted = z.infer<typeof RescueOperationExecutedSchema>;

export const PersonsRecoveredSchema = z
  .strictObject({
    rescueId: UlidSchema,
    persons: z.array(ListedPersonSchema).min(1).max(1000).describe('each sealed for their own personId; each person once'),
  })
  .superRefine(distinctItems('persons', personsById));
export type PersonsRecovered = z.infer<typeof PersonsRecoveredSchema>;

export const ReturnFromAbroadReceivedSchema = z
  .strictObject({
    handoverId: UlidSchema.describe('the incoming handover'),
    fromCountry: CountrySchema.describe('the country that returned them; not VN'),
    borderGate: BorderGateSchema.optional().describe('the land gate, when returned overland; on the border with fromCountry'),
    province: ProvinceSchema.describe('where they were received (for a land gate, its province)'),
    foreignReference: InstitutionTextSchema.optional().describe("the returning authority's reference for the handover"),
    persons: z.array(ListedPersonSchema).min(1).max(1000).describe('each sealed for their own personId; each person once'),
  })
  .superRefine(foreignCountry('fromCountry'))
  .superRefine(gateOnBorderWith('fromCountry'))
  .superRefine(distinctItems('persons', personsById));
export type ReturnFromAbroadReceived = z.infer<typeof ReturnFromAbroadReceivedSchema>;

/** The facts of an outgoing handover, repeated in each of its events. */
export const handoverFactFields = {
  handoverId: UlidSchema.describe('the outgoing handover'),
  toCountry: CountrySchema.describe('the country the persons are returned to; not VN'),
  borderGate: BorderGateSchema.optional().describe('the land gate, when returned overland; on the border with toCountry'),
  persons: z.array(ProfiledPersonSchema).min(1).max(500).describe('who is handed over, each once; their personal data stays in the vault'),
  needs: z.array(HandoverNeedSchema).max(HANDOVER_NEEDS.length).describe('what the receiving side must provide, each once'),
};

export const outgoingHandoverIsConsistent: PayloadRule = (value, ctx) => {
  foreignCountry('toCountry')(value, ctx);
  gateOnBorderWith('toCountry')(value, ctx);
  distinctItems('persons', personsById)(value, ctx);
  distinctItems('needs')(value, ctx);
};

export const HandoverPlannedSchema = z
  .strictObject({ ...handoverFactFields, date: IsoDateSchema.describe('the date proposed to the receiving side') })
  .superRefine(outgoingHandoverIsConsistent);
export type HandoverPlanned = z.infer<typeof HandoverPlannedSchema>;

export const HandoverScheduledSchema = z
  .strictObject({
    ...handoverFactFields,
    date: IsoDateSchema.describe('the date agreed with the receiving side'),
    counterpartReference: InstitutionTextSchema.optional().describe("the receiving authority's reference for its agreement"),
  })
  .superRefine(outgoingHandoverIsConsistent);
export type HandoverScheduled = z.infer<typeof HandoverScheduledSchema>;

export const HandoverCompletedSchema = z
  .strictObject({
    ...handoverFactFields,
    date: IsoDateSchema.describe('the date the persons were handed over'),
    receivedBy: InstitutionTextSchema.describe('the foreign authority that took them over (an office, not a person)'),
  })
  .superRefine(outgoingHandoverIsConsistent);
export type HandoverCompleted = z.infer<typeof HandoverCompletedSchema>;

export const rescueEvents: EventDefinition[] = [
  defineEvent({ agency: 'rescue', name: 'RescueRequested', schema: RescueRequestedSchema, description: 'A rescue (giải cứu) was requested: where, how many people and minors, how urgent; the exact locality sealed.' }),
  defineEvent({ agency: 'rescue', name: 'RescueOperationPlanned', schema: RescueOperationPlannedSchema, description: 'A rescue operation was planned: when, where and by whom.' }),
  defineEvent({ agency: 'rescue', name: 'RescueOperationExecuted', schema: RescueOperationExecutedSchema, description: 'A rescue operation was carried out, with how many persons (and minors) were recovered.' }),
  defineEvent({ agency: 'rescue', name: 'PersonsRecovered', schema: PersonsRecoveredSchema, description: 'The persons a rescue recovered were recorded, each with a personId and their details sealed.' }),
  defineEvent({ agency: 'rescue', name: 'ReturnFromAbroadReceived', schema: ReturnFromAbroadReceivedSchema, description: 'Victims returned from abroad were received (tiếp nhận trở về, an incoming handover): from which country, at which border gate.' }),
  defineEvent({ agency: 'rescue', name: 'HandoverPlanned', schema: HandoverPlannedSchema, description: 'The return of foreign victims to their country (trao trả, an outgoing handover) was planned: country, border gate, proposed date, persons, needs.' }),
  defineEvent({ agency: 'rescue', name: 'HandoverScheduled', schema: HandoverScheduledSchema, description: 'The receiving side agreed the date of an outgoing handover.' }),
  defineEvent({ agency: 'rescue', name: 'HandoverCompleted', schema: HandoverCompletedSchema, description: 'The persons of an outgoing handover were handed over to the foreign authority.' }),
];
