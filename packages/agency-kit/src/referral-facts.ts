// The referral facts every agency's system may send through the ingestion endpoint: the same
// commands as the referral routes, with the referral id in the body.
import { AcceptReferralCommandSchema, CompleteReferralCommandSchema, DeclineReferralCommandSchema, ReferCommandSchema, UlidSchema, WithdrawReferralCommandSchema, deriveId } from '@nrm/contracts';
import type { ReferralAgency } from '@nrm/contracts';
import type { z } from 'zod';
import { acceptanceDeadline } from './deadline-policy.ts';
import type { DeadlinePolicy } from './deadline-policy.ts';
import type { IngestibleFact } from './fact-ingestor.ts';

const IssueReferralFactSchema = ReferCommandSchema.extend({ referralId: UlidSchema.describe("the referral's id, chosen by the sending system") });

export function referralFacts(agency: ReferralAgency, policy: DeadlinePolicy): Record<string, IngestibleFact> {
  const answer = (type: string) => (body: { referralId: string; occurredAt?: string } & Record<string, unknown>) => {
    const { occurredAt: _occurredAt, ...data } = body;
    return { type, data };
  };
  return {
    [`${agency}.ReferralIssued`]: {
      body: IssueReferralFactSchema,
      command: ({ occurredAt, ...body }: z.infer<typeof IssueReferralFactSchema>, { caseId }) => ({
        type: 'IssueReferral',
        data: { ...body, referralId: body.referralId ?? deriveId(caseId, 'referral'), acceptBy: acceptanceDeadline(occurredAt ?? new Date().toISOString(), body, policy) },
      }),
    },
    [`${agency}.ReferralAccepted`]: { body: AcceptReferralCommandSchema, command: answer('AcceptReferral') },
    [`${agency}.ReferralDeclined`]: { body: DeclineReferralCommandSchema, command: answer('DeclineReferral') },
    [`${agency}.ReferralCompleted`]: { body: CompleteReferralCommandSchema, command: answer('CompleteReferral') },
    [`${agency}.ReferralWithdrawn`]: { body: WithdrawReferralCommandSchema, command: answer('WithdrawReferral') },
  };
}
