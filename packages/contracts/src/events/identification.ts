// Identification (xác minh, xác định nạn nhân): after accepting a referral the agency verifies
// step by step whether a presumed victim is a victim of trafficking, then records that the
// person was identified as one, or not and why. Every step names the person by `personId`.
import { z } from 'zod';
import { UlidSchema } from '../ids.ts';
import { CountrySchema } from '../reference/countries.ts';
import { ProvinceSchema } from '../reference/provinces.ts';
import { defineEvent } from '../registry.ts';
import type { EventDefinition } from '../registry.ts';
import { personal } from '../sealed-field.ts';
import { childMatchesAgeGroup, distinctItems, sealedFor } from './cross-field-rules.ts';
import { SealedPersonSchema, victimProfileFields } from './person.ts';
import { EXPLOITATION_FORMS, ExploitationFormSchema } from './vocabulary.ts';

export const VERIFICATION_STEPS = [
  'interview',
  'document-check',
  'records-check',
  'field-verification',
  'foreign-authority-inquiry',
  'medical-examination',
  'age-assessment',
] as const;
export const VerificationStepSchema = z.enum(VERIFICATION_STEPS);

export const VERIFICATION_RESULTS = ['supports', 'contradicts', 'inconclusive'] as const;
export const VerificationResultSchema = z.enum(VERIFICATION_RESULTS).describe('whether the step supports that the person is a victim of trafficking');

export const NOT_IDENTIFIED_REASONS = [
  'no-trafficking-indicators',
  'insufficient-evidence',
  'other-offence',
  'person-declined',
  'duplicate-record',
] as const;
export const NotIdentifiedReasonSchema = z.enum(NOT_IDENTIFIED_REASONS).describe('other-offence: a crime other than trafficking, e.g. smuggling of migrants');

export const VerificationStepRecordedSchema = z
  .strictObject({
    personId: UlidSchema.describe('the presumed victim; the vault subject of their sealed fields'),
    step: VerificationStepSchema,
    result: VerificationResultSchema,
    note: personal().optional().describe('what the step found; sealed for personId'),
  })
  .superRefine(sealedFor('personId', ['note']));
export type VerificationStepRecorded = z.infer<typeof VerificationStepRecordedSchema>;

export const VictimIdentifiedSchema = z
  .strictObject({
    personId: UlidSchema,
    person: SealedPersonSchema.describe('who the person is, sealed for personId'),
    ...victimProfileFields,
    formsOfExploitation: z.array(ExploitationFormSchema).min(1).max(EXPLOITATION_FORMS.length).describe('each once; a victim may have suffered more than one'),
    exploitationCountry: CountrySchema.describe('where the exploitation took place (VN for within Viet Nam)'),
    province: ProvinceSchema.describe('the province that identified the person (whose figures it counts in)'),
    homeProvince: ProvinceSchema.optional().describe('where a Vietnamese victim lives, for reintegration figures'),
  })
  .superRefine(childMatchesAgeGroup)
  .superRefine(distinctItems('formsOfExploitation'))
  .superRefine(sealedFor('personId', ['person']));
export type VictimIdentified = z.infer<typeof VictimIdentifiedSchema>;

export const VictimNotIdentifiedSchema = z
  .strictObject({
    personId: UlidSchema,
    reason: NotIdentifiedReasonSchema,
    province: ProvinceSchema.describe('the province that verified the person'),
    note: personal().optional().describe('sealed for personId'),
  })
  .superRefine(sealedFor('personId', ['note']));
export type VictimNotIdentified = z.infer<typeof VictimNotIdentifiedSchema>;

export const identificationEvents: EventDefinition[] = [
  defineEvent({ agency: 'identification', name: 'VerificationStepRecorded', schema: VerificationStepRecordedSchema, description: 'A verification step (xác minh) about a presumed victim was taken, with what it showed.' }),
  defineEvent({ agency: 'identification', name: 'VictimIdentified', schema: VictimIdentifiedSchema, description: 'The person was identified as a victim of trafficking (xác định nạn nhân): forms of exploitation, nationality, sex, age group, child or adult; who they are sealed.' }),
  defineEvent({ agency: 'identification', name: 'VictimNotIdentified', schema: VictimNotIdentifiedSchema, description: 'Verification concluded that the person is not a victim of trafficking, with the reason.' }),
];
