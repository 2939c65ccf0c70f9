// The referral lifecycle every agency shares (chuyển tuyến): ReferralIssued → ReferralAccepted |
// ReferralDeclined → ReferralCompleted; ReferralOverdue when a deadline passes; ReferralWithdrawn.
// The issuer writes Issued and Withdrawn in its own case stream. The receiver records what it
// received in its own case stream (ReferralReceived, ReferralWithdrawalReceived: reactions with
// the issuer's event as causationId), then Accepted | Declined → Completed, each with the
// ReferralIssued event as causationId; its durable scheduler records ReferralOverdue once when
// the acceptance deadline passes with the referral still unanswered. Each agency thus decides
// every referral rule from its own stream alone, which is what lets it run as its own process.
import { z } from 'zod';
import { REFERRAL_AGENCIES, ReferralAgencySchema } from './agencies.ts';
import type { ReferralAgency } from './agencies.ts';
import { IsoTimeSchema } from './envelope.ts';
import { UlidSchema } from './ids.ts';
import { defineEvent } from './registry.ts';
import type { EventDefinition } from './registry.ts';

export const REFERRAL_KINDS = ['verification', 'rescue', 'protection', 'reintegration', 'support'] as const;
export const ReferralKindSchema = z.enum(REFERRAL_KINDS);
export type ReferralKind = z.infer<typeof ReferralKindSchema>;

export const DECLINE_REASONS = ['not-competent', 'insufficient-information', 'no-capacity', 'duplicate', 'person-refused', 'other'] as const;

const note = z.string().max(2000);

export const REFERRAL_PRIORITIES = ['normal', 'urgent'] as const;
export const ReferralPrioritySchema = z.enum(REFERRAL_PRIORITIES);

/** The person a referral is about, when there is one yet: the receiver continues their case with it. */
const personIdField = UlidSchema.optional().describe('the person referred (their vault subject), once identified');

export const ReferralIssuedSchema = z.strictObject({
  referralId: UlidSchema,
  to: ReferralAgencySchema,
  kind: ReferralKindSchema,
  priority: ReferralPrioritySchema,
  involvesChild: z.boolean(),
  personId: personIdField,
  summary: note.describe('what the receiver needs to know; no personal data (that travels sealed)'),
  acceptBy: IsoTimeSchema.describe('the acceptance deadline'),
});

export const ReferralReceivedSchema = z.strictObject({
  referralId: UlidSchema,
  issuedEventId: UlidSchema.describe('the ReferralIssued event: the acceptance, decline and completion cite it as their cause'),
  from: ReferralAgencySchema,
  kind: ReferralKindSchema,
  priority: ReferralPrioritySchema,
  involvesChild: z.boolean(),
  personId: personIdField,
  summary: note,
  acceptBy: IsoTimeSchema,
});

export const ReferralWithdrawalReceivedSchema = z.strictObject({
  referralId: UlidSchema,
  from: ReferralAgencySchema,
  reason: note,
});

export const ReferralAcceptedSchema = z.strictObject({
  referralId: UlidSchema,
  from: ReferralAgencySchema,
  note: note.optional(),
});

export const ReferralDeclinedSchema = z.strictObject({
  referralId: UlidSchema,
  from: ReferralAgencySchema,
  reason: z.enum(DECLINE_REASONS),
  note: note.optional(),
});

export const ReferralCompletedSchema = z.strictObject({
  referralId: UlidSchema,
  from: ReferralAgencySchema,
  outcome: note,
});

export const ReferralOverdueSchema = z.strictObject({
  referralId: UlidSchema,
  from: ReferralAgencySchema,
  acceptBy: IsoTimeSchema,
});

export const ReferralWithdrawnSchema = z.strictObject({
  referralId: UlidSchema,
  to: ReferralAgencySchema,
  reason: note,
});

function referralEventsOf(agency: ReferralAgency): EventDefinition[] {
  return [
    defineEvent({ agency, name: 'ReferralIssued', schema: ReferralIssuedSchema, description: `${agency} refers a case to another agency, with an acceptance deadline.` }),
    defineEvent({ agency, name: 'ReferralReceived', schema: ReferralReceivedSchema, description: `A referral addressed to ${agency} arrived in its inbox (a reaction; causationId is the ReferralIssued event).` }),
    defineEvent({ agency, name: 'ReferralAccepted', schema: ReferralAcceptedSchema, description: `${agency} accepts a referral addressed to it; causationId is the ReferralIssued event.` }),
    defineEvent({ agency, name: 'ReferralDeclined', schema: ReferralDeclinedSchema, description: `${agency} declines a referral addressed to it, with the reason.` }),
    defineEvent({ agency, name: 'ReferralCompleted', schema: ReferralCompletedSchema, description: `${agency} has done what a referral it accepted asked for.` }),
    defineEvent({ agency, name: 'ReferralOverdue', schema: ReferralOverdueSchema, description: `A referral addressed to ${agency} was not answered by its acceptance deadline (recorded once, by ${agency}'s durable scheduler).` }),
    defineEvent({ agency, name: 'ReferralWithdrawn', schema: ReferralWithdrawnSchema, description: `${agency} withdraws a referral it issued before it was completed.` }),
    defineEvent({ agency, name: 'ReferralWithdrawalReceived', schema: ReferralWithdrawalReceivedSchema, description: `The issuer withdrew a referral addressed to ${agency} (a reaction; causationId is the ReferralWithdrawn event).` }),
  ];
}

export const referralEvents: EventDefinition[] = REFERRAL_AGENCIES.flatMap(referralEventsOf);
