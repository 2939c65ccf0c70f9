// The referral commands every agency accepts (chuyển tuyến). Each body is the matching event's
// payload minus what the service derives: the referral id and acceptance deadline of a new
// referral, and the counterpart agency (`from`), which the service knows from its inbox.
import { UlidSchema } from '../ids.ts';
import { ReferralAcceptedSchema, ReferralCompletedSchema, ReferralDeclinedSchema, ReferralIssuedSchema, ReferralWithdrawnSchema } from '../referral.ts';
import { occurredAtField } from './command-fields.ts';

/** The shape of issuing a referral: about the case, and about a person once they are known. */
export const ReferCommandSchema = ReferralIssuedSchema.pick({ to: true, kind: true, priority: true, involvesChild: true, personId: true, summary: true }).extend(occurredAtField);

export const ReferPersonCommandSchema = ReferCommandSchema.extend({ personId: UlidSchema.describe('the person referred') });

export const AcceptReferralCommandSchema = ReferralAcceptedSchema.pick({ referralId: true, note: true }).extend(occurredAtField);

export const DeclineReferralCommandSchema = ReferralDeclinedSchema.pick({ referralId: true, reason: true, note: true }).extend(occurredAtField);

export const CompleteReferralCommandSchema = ReferralCompletedSchema.pick({ referralId: true, outcome: true }).extend(occurredAtField);

export const WithdrawReferralCommandSchema = ReferralWithdrawnSchema.pick({ referralId: true, reason: true }).extend(occurredAtField);

/** The commands on referrals addressed to an agency, or issued by it, that every agency accepts alike. */
export const referralCommands = {
  AcceptReferral: AcceptReferralCommandSchema,
  DeclineReferral: DeclineReferralCommandSchema,
  CompleteReferral: CompleteReferralCommandSchema,
  WithdrawReferral: WithdrawReferralCommandSchema,
};
