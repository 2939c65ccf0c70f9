// Community reintegration (tái hòa nhập cộng đồng): a plan is agreed with the person, support
// is delivered against it, follow-up visits check how they are doing, and the case closes with
// an outcome.
import { z } from 'zod';
import { UlidSchema } from '../ids.ts';
import { ProvinceSchema } from '../reference/provinces.ts';
import { defineEvent } from '../registry.ts';
import type { EventDefinition } from '../registry.ts';
import { personal } from '../sealed-field.ts';
import { distinctItems, sealedFor } from './cross-field-rules.ts';
import { AmountVndSchema, ConsentGiverSchema, IsoDateSchema } from './vocabulary.ts';

export const SUPPORT_KINDS = ['vocational-training', 'job-placement', 'education', 'medical', 'cash-allowance', 'legal', 'psychosocial'] as const;
export const SupportKindSchema = z.enum(SUPPORT_KINDS);

export const SUPPORT_PROVIDERS = ['state', 'womens-union', 'ngo', 'international-organisation', 'employer', 'community'] as const;
export const SupportProviderSchema = z.enum(SUPPORT_PROVIDERS);

export const FOLLOW_UP_MODES = ['home-visit', 'office-visit', 'phone'] as const;
export const FollowUpModeSchema = z.enum(FOLLOW_UP_MODES);

export const WELLBEING_LEVELS = ['stable', 'improving', 'at-risk', 'in-crisis'] as const;
export const WellbeingSchema = z.enum(WELLBEING_LEVELS).describe('at-risk and in-crisis call for action, e.g. a new referral');

export const REINTEGRATION_OUTCOMES = ['reintegrated', 'moved-away', 'lost-contact', 'declined-further-support', 're-trafficked', 'deceased'] as const;
export const ReintegrationOutcomeSchema = z.enum(REINTEGRATION_OUTCOMES);

export const ReintegrationPlanAgreedSchema = z
  .strictObject({
    personId: UlidSchema.describe('the victim; the vault subject of their sealed fields'),
    province: ProvinceSchema.describe('where the person reintegrates (whose figures it counts in)'),
    supports: z.array(SupportKindSchema).min(1).max(SUPPORT_KINDS.length).describe('the support planned, each once'),
    agreedWith: ConsentGiverSchema.describe('who agreed the plan for the person'),
    reviewBy: IsoDateSchema.optional().describe('when the plan is to be reviewed'),
  })
  .superRefine(distinctItems('supports'));
export type ReintegrationPlanAgreed = z.infer<typeof ReintegrationPlanAgreedSchema>;

export const ReintegrationSupportDeliveredSchema = z.strictObject({
  personId: UlidSchema,
  kind: SupportKindSchema,
  provider: SupportProviderSchema,
  amountVnd: AmountVndSchema.optional().describe('cash paid, in whole đồng'),
  province: ProvinceSchema.describe('the province that delivered it (whose figures it counts in)'),
});
export type ReintegrationSupportDelivered = z.infer<typeof ReintegrationSupportDeliveredSchema>;

export const FollowUpVisitMadeSchema = z
  .strictObject({
    personId: UlidSchema,
    mode: FollowUpModeSchema,
    wellbeing: WellbeingSchema,
    note: personal().optional().describe('sealed for personId'),
  })
  .superRefine(sealedFor('personId', ['note']));
export type FollowUpVisitMade = z.infer<typeof FollowUpVisitMadeSchema>;

export const ReintegrationCaseClosedSchema = z
  .strictObject({
    personId: UlidSchema,
    outcome: ReintegrationOutcomeSchema,
    note: personal().optional().describe('sealed for personId'),
  })
  .superRefine(sealedFor('personId', ['note']));
export type ReintegrationCaseClosed = z.infer<typeof ReintegrationCaseClosedSchema>;

export const reintegrationEvents: EventDefinition[] = [
  defineEvent({ agency: 'reintegration', name: 'ReintegrationPlanAgreed', schema: ReintegrationPlanAgreedSchema, description: 'A community reintegration (tái hòa nhập cộng đồng) plan was agreed with the person: the support planned.' }),
  defineEvent({ agency: 'reintegration', name: 'ReintegrationSupportDelivered', schema: ReintegrationSupportDeliveredSchema, description: 'Reintegration support was delivered: vocational training, job placement, education, medical, cash allowance, legal or psychosocial.' }),
  defineEvent({ agency: 'reintegration', name: 'FollowUpVisitMade', schema: FollowUpVisitMadeSchema, description: 'A follow-up visit or call checked how the person is doing.' }),
  defineEvent({ agency: 'reintegration', name: 'ReintegrationCaseClosed', schema: ReintegrationCaseClosedSchema, description: 'The reintegration case was closed with an outcome.' }),
];
