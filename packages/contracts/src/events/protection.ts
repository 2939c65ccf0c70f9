// Protection (bảo vệ, hỗ trợ ban đầu): a case is opened from a referral; the person's consent
// is recorded per scope and may be withdrawn; they are admitted to and discharged from a
// shelter; safety measures are taken; initial support is given. Shelters appear only by their
// register code: where a shelter is stays out of the log.
import { z } from 'zod';
import { UlidSchema } from '../ids.ts';
import { ProvinceSchema } from '../reference/provinces.ts';
import { defineEvent } from '../registry.ts';
import type { EventDefinition } from '../registry.ts';
import { personal } from '../sealed-field.ts';
import { distinctItems, sealedFor } from './cross-field-rules.ts';
import { AmountVndSchema, ConsentGiverSchema } from './vocabulary.ts';

export const CONSENT_SCOPES = ['data-sharing', 'handover', 'reintegration'] as const;
export const ConsentScopeSchema = z.enum(CONSENT_SCOPES);

export const CONSENT_FORMS = ['written', 'oral-witnessed'] as const;
export const ConsentFormSchema = z.enum(CONSENT_FORMS);

export const SHELTER_KINDS = ['social-protection-centre', 'ngo-shelter', 'border-guard-station', 'police-facility', 'family-based-care'] as const;
export const ShelterKindSchema = z.enum(SHELTER_KINDS);

export const SHELTER_DISCHARGE_REASONS = ['returned-home', 'moved-to-another-shelter', 'handed-over-abroad', 'left-voluntarily', 'support-period-ended', 'other'] as const;
export const ShelterDischargeReasonSchema = z.enum(SHELTER_DISCHARGE_REASONS);

export const SAFETY_MEASURES = ['police-protection', 'identity-confidentiality', 'relocation', 'no-contact-order', 'safe-escort', 'child-protection-intervention'] as const;
export const SafetyMeasureSchema = z.enum(SAFETY_MEASURES);

/** Hỗ trợ ban đầu: the support a victim receives on arrival. */
export const INITIAL_SUPPORT_KINDS = ['food', 'clothing', 'medical', 'psychological', 'legal-aid', 'travel-allowance'] as const;
export const InitialSupportKindSchema = z.enum(INITIAL_SUPPORT_KINDS);

export const ShelterCodeSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'must be a shelter register code')
  .describe("the shelter's code in the agency's shelter register");

export const ProtectionCaseOpenedSchema = z.strictObject({
  personId: UlidSchema.describe('the victim; the vault subject of their sealed fields'),
  referralId: UlidSchema.describe('the referral the case was opened from'),
  province: ProvinceSchema.describe('the province that protects the person (whose figures it counts in)'),
  child: z.boolean().describe('under 18: child-protection rules apply'),
});
export type ProtectionCaseOpened = z.infer<typeof ProtectionCaseOpenedSchema>;

export const ConsentRecordedSchema = z
  .strictObject({
    personId: UlidSchema,
    consentId: UlidSchema.describe('this consent, so a later withdrawal can name it'),
    scopes: z.array(ConsentScopeSchema).min(1).max(CONSENT_SCOPES.length).describe('what the consent covers, each once'),
    givenBy: ConsentGiverSchema,
    form: ConsentFormSchema,
    document: personal().optional().describe('where the signed form is kept: it bears signatures, so sealed for personId'),
  })
  .superRefine(distinctItems('scopes'))
  .superRefine(sealedFor('personId', ['document']));
export type ConsentRecorded = z.infer<typeof ConsentRecordedSchema>;

export const ConsentWithdrawnSchema = z
  .strictObject({
    personId: UlidSchema,
    consentId: UlidSchema.describe('the consent withdrawn'),
    scopes: z.array(ConsentScopeSchema).min(1).max(CONSENT_SCOPES.length).describe('the scopes withdrawn, each once; the others stay given'),
    note: personal().optional().describe('sealed for personId'),
  })
  .superRefine(distinctItems('scopes'))
  .superRefine(sealedFor('personId', ['note']));
export type ConsentWithdrawn = z.infer<typeof ConsentWithdrawnSchema>;

export const ShelterAdmittedSchema = z.strictObject({
  personId: UlidSchema,
  shelter: ShelterCodeSchema,
  shelterKind: ShelterKindSchema,
  province: ProvinceSchema,
});
export type ShelterAdmitted = z.infer<typeof ShelterAdmittedSchema>;

export const ShelterDischargedSchema = z.strictObject({
  personId: UlidSchema,
  shelter: ShelterCodeSchema,
  reason: ShelterDischargeReasonSchema,
});
export type ShelterDischarged = z.infer<typeof ShelterDischargedSchema>;

export const SafetyMeasureTakenSchema = z
  .strictObject({
    personId: UlidSchema,
    measure: SafetyMeasureSchema,
    note: personal().optional().describe('sealed for personId'),
  })
  .superRefine(sealedFor('personId', ['note']));
export type SafetyMeasureTaken = z.infer<typeof SafetyMeasureTakenSchema>;

export const InitialSupportGivenSchema = z
  .strictObject({
    personId: UlidSchema,
    kinds: z.array(InitialSupportKindSchema).min(1).max(INITIAL_SUPPORT_KINDS.length).describe('each once'),
    amountVnd: AmountVndSchema.optional().describe('cash paid with it (e.g. the travel allowance), in whole đồng'),
    province: ProvinceSchema.describe('the province that gave it (whose figures it counts in)'),
  })
  .superRefine(distinctItems('kinds'));
export type InitialSupportGiven = z.infer<typeof InitialSupportGivenSchema>;

export const protectionEvents: EventDefinition[] = [
  defineEvent({ agency: 'protection', name: 'ProtectionCaseOpened', schema: ProtectionCaseOpenedSchema, description: 'A protection case (bảo vệ) was opened for a victim from a referral.' }),
  defineEvent({ agency: 'protection', name: 'ConsentRecorded', schema: ConsentRecordedSchema, description: 'The person (or their guardian) consented to data sharing, handover or reintegration.' }),
  defineEvent({ agency: 'protection', name: 'ConsentWithdrawn', schema: ConsentWithdrawnSchema, description: 'A consent was withdrawn for some or all of its scopes.' }),
  defineEvent({ agency: 'protection', name: 'ShelterAdmitted', schema: ShelterAdmittedSchema, description: 'The person was admitted to a shelter.' }),
  defineEvent({ agency: 'protection', name: 'ShelterDischarged', schema: ShelterDischargedSchema, description: 'The person left a shelter, with the reason.' }),
  defineEvent({ agency: 'protection', name: 'SafetyMeasureTaken', schema: SafetyMeasureTakenSchema, description: 'A measure to keep the person safe was taken.' }),
  defineEvent({ agency: 'protection', name: 'InitialSupportGiven', schema: InitialSupportGivenSchema, description: 'Initial support (hỗ trợ ban đầu) was given: food, clothing, medical, psychological, legal aid or a travel allowance.' }),
];
