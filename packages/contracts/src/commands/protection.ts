// The commands protection accepts: open a case from a referral, record and withdraw consent,
// admit to and discharge from a shelter, take a safety measure, give initial support, refer
// onward, and answer referrals. Consent ids are allocated by the service.
import { z } from 'zod';
import { distinctItems } from '../events/cross-field-rules.ts';
import {
  CONSENT_SCOPES,
  ConsentFormSchema,
  ConsentScopeSchema,
  InitialSupportGivenSchema,
  ProtectionCaseOpenedSchema,
  SafetyMeasureSchema,
  ShelterAdmittedSchema,
  ShelterDischargedSchema,
} from '../events/protection.ts';
import { ConsentGiverSchema } from '../events/vocabulary.ts';
import { UlidSchema } from '../ids.ts';
import { NoteTextSchema, occurredAtField } from './command-fields.ts';
import { ReferPersonCommandSchema, referralCommands } from './referral.ts';

export const OpenProtectionCaseCommandSchema = ProtectionCaseOpenedSchema.extend(occurredAtField);

export const RecordConsentCommandSchema = z
  .strictObject({
    personId: UlidSchema,
    scopes: z.array(ConsentScopeSchema).min(1).max(CONSENT_SCOPES.length),
    givenBy: ConsentGiverSchema,
    form: ConsentFormSchema,
    document: z.string().trim().min(1).max(500).optional().describe('where the signed form is kept; sealed by the service'),
    ...occurredAtField,
  })
  .superRefine(distinctItems('scopes'));

export const WithdrawConsentCommandSchema = z
  .strictObject({
    personId: UlidSchema,
    consentId: UlidSchema,
    scopes: z.array(ConsentScopeSchema).min(1).max(CONSENT_SCOPES.length),
    note: NoteTextSchema.optional(),
    ...occurredAtField,
  })
  .superRefine(distinctItems('scopes'));

export const AdmitToShelterCommandSchema = ShelterAdmittedSchema.extend(occurredAtField);

export const DischargeFromShelterCommandSchema = ShelterDischargedSchema.extend(occurredAtField);

export const TakeSafetyMeasureCommandSchema = z.strictObject({
  personId: UlidSchema,
  measure: SafetyMeasureSchema,
  note: NoteTextSchema.optional(),
  ...occurredAtField,
});

export const GiveInitialSupportCommandSchema = InitialSupportGivenSchema.safeExtend(occurredAtField);

export const protectionCommands = {
  OpenProtectionCase: OpenProtectionCaseCommandSchema,
  RecordConsent: RecordConsentCommandSchema,
  WithdrawConsent: WithdrawConsentCommandSchema,
  AdmitToShelter: AdmitToShelterCommandSchema,
  DischargeFromShelter: DischargeFromShelterCommandSchema,
  TakeSafetyMeasure: TakeSafetyMeasureCommandSchema,
  GiveInitialSupport: GiveInitialSupportCommandSchema,
  Refer: ReferPersonCommandSchema,
  ...referralCommands,
};
