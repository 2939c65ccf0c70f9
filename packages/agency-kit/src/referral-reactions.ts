// Referrals reach the receiving agency as reactions: another agency's ReferralIssued (or
// ReferralWithdrawn) addressed to this one becomes a ReferralReceived (or
// ReferralWithdrawalReceived) in this agency's own case stream. The command takes the source
// event's id, so a redelivered event appends nothing; a refused reaction is skipped, not retried.
import { REFERRAL_AGENCIES } from '@nrm/contracts';
import type { RecordedEvent, ReferralAgency } from '@nrm/contracts';
import type { ConsumeOptions } from '@nrm/bus';
import { ProblemError, reactionCommandMetadata } from '@nrm/service-kit';
import type { Command } from '@nrm/service-kit';
import type { CaseRuntime } from './case-runtime.ts';

export function referralReactions<C extends Command, S>(runtime: CaseRuntime<C, S>, options: { onSkipped?: (event: RecordedEvent, reason: string) => void } = {}): ConsumeOptions {
  const agency = runtime.agency;
  const issuers = REFERRAL_AGENCIES.filter((other) => other !== agency);
  return {
    consumer: `${agency}.referral-inbox`,
    filter: { types: issuers.flatMap((issuer) => [`${issuer}.ReferralIssued`, `${issuer}.ReferralWithdrawn`]) },
    handler: async (event) => {
      const data = event.data as { to?: string; referralId: string } & Record<string, unknown>;
      if (data.to !== agency) return;
      if (!event.caseId) {
        options.onSkipped?.(event, 'a referral without a caseId cannot be filed');
        return;
      }
      const metadata = reactionCommandMetadata(event, { agency, actor: `${agency}-inbox`, now: new Date() });
      const from = event.agency as ReferralAgency;
      try {
        if (event.type.endsWith('.ReferralIssued')) {
          await runtime.execute(event.caseId, 'ReceiveReferral', { referralId: data.referralId, issuedEventId: event.id, from, kind: data.kind, priority: data.priority, involvesChild: data.involvesChild, ...(data.personId ? { personId: data.personId } : {}), summary: data.summary, acceptBy: data.acceptBy }, metadata);
        } else {
          await runtime.execute(event.caseId, 'ReceiveReferralWithdrawal', { referralId: data.referralId, from, reason: data.reason }, metadata);
        }
      } catch (error) {
        // A domain refusal will refuse again on every retry: record and move on. Anything else
        // (the store is down) is thrown, and the bus retries.
        if (error instanceof ProblemError && error.status < 500) {
          options.onSkipped?.(event, error.message);
          return;
        }
        throw error;
      }
    },
  };
}
