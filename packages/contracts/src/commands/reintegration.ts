// The commands reintegration accepts: agree a plan, deliver support, record a follow-up visit,
// close the case, and answer referrals.
import { z } from 'zod';
import { FollowUpModeSchema, ReintegrationOutcomeSchema, ReintegrationPlanAgreedSchema, ReintegrationSupportDeliveredSchema, WellbeingSchema } from '../events/reintegration.ts';
import { UlidSchema } from '../ids.ts';
import { NoteTextSchema, occurredAtField } from './command-fields.ts';
import { ReferPersonCommandSchema, referralCommands } from './referral.ts';

export const AgreeReintegrationPlanCommandSchema = ReintegrationPlanAgreedSchema.safeExtend(occurredAtField);

export const DeliverReintegrationSupportCommandSchema = ReintegrationSupportDeliveredSchema.extend(occurredAtField);

export const RecordFollowUpVisitCommandSchema = z.strictObject({
  personId: UlidSchema,
  mode: FollowUpModeSchema,
  wellbeing: WellbeingSchema,
  note: NoteTextSchema.optional(),
  ...occurredAtField,
});

export const CloseReintegrationCaseCommandSchema = z.strictObject({
  personId: UlidSchema,
  outcome: ReintegrationOutcomeSchema,
  note: NoteTextSchema.optional(),
  ...occurredAtField,
});

export const reintegrationCommands = {
  AgreeReintegrationPlan: AgreeReintegrationPlanCommandSchema,
  DeliverReintegrationSupport: DeliverReintegrationSupportCommandSchema,
  RecordFollowUpVisit: RecordFollowUpVisitCommandSchema,
  CloseReintegrationCase: CloseReintegrationCaseCommandSchema,
  Refer: ReferPersonCommandSchema,
  ...referralCommands,
};
