// The referral routes every agency serves under /v1/<agency>: issue and withdraw a referral of
// a case or of a person in it (as the issuer); accept, decline and complete one addressed to it
// (as the receiver). This is the only way to issue a referral: what an agency requires of one
// is its decider's guardReferral. The acceptance deadline is computed here from the deadline
// policy, never taken from the caller; the referral id is allocated here and answered.
import { z } from 'zod';
import { AcceptReferralCommandSchema, CompleteReferralCommandSchema, DeclineReferralCommandSchema, ReferCommandSchema, UlidSchema, WithdrawReferralCommandSchema } from '@nrm/contracts';
import type { NrmApp, Command } from '@nrm/service-kit';
import { registerCaseCommand } from './case-command-route.ts';
import type { CaseRuntime } from './case-runtime.ts';
import { acceptanceDeadline } from './deadline-policy.ts';
import type { DeadlinePolicy } from './deadline-policy.ts';

// The referral id travels in the path, so the bodies are the contracts' commands without it.
const AcceptReferralBodySchema = AcceptReferralCommandSchema.omit({ referralId: true });
const DeclineReferralBodySchema = DeclineReferralCommandSchema.omit({ referralId: true });
const CompleteReferralBodySchema = CompleteReferralCommandSchema.omit({ referralId: true });
const WithdrawReferralBodySchema = WithdrawReferralCommandSchema.omit({ referralId: true });
const ReferralParamsSchema = z.strictObject({ caseId: UlidSchema, referralId: UlidSchema });

export function registerReferralRoutes<C extends Command, S>(app: NrmApp, runtime: CaseRuntime<C, S>, policy: DeadlinePolicy): void {
  registerCaseCommand(app, runtime, {
    url: '/cases/:caseId/referrals',
    summary: 'Refer the case, or the person it names, to another agency (chuyển tuyến); the acceptance deadline follows the deadline policy',
    body: ReferCommandSchema,
    status: 201,
    allocates: { referralId: UlidSchema.describe('the referral issued; withdrawing it names it') },
    command: ({ occurredAt, ...body }, { allocate }) => {
      const issuedAt = occurredAt ?? new Date().toISOString();
      const referralId = allocate('referral');
      return { type: 'IssueReferral', data: { referralId, ...body, acceptBy: acceptanceDeadline(issuedAt, body, policy) }, allocated: { referralId } };
    },
  });
  const answers = [
    ['accept', 'AcceptReferral', AcceptReferralBodySchema, 'Accept a referral addressed to this agency'],
    ['decline', 'DeclineReferral', DeclineReferralBodySchema, 'Decline a referral addressed to this agency, with the reason'],
    ['complete', 'CompleteReferral', CompleteReferralBodySchema, 'Report an accepted referral done'],
    ['withdraw', 'WithdrawReferral', WithdrawReferralBodySchema, 'Withdraw a referral this agency issued'],
  ] as const;
  for (const [action, type, body, summary] of answers) {
    registerCaseCommand(app, runtime, {
      url: `/cases/:caseId/referrals/:referralId/${action}`,
      summary,
      body,
      params: ReferralParamsSchema,
      command: ({ occurredAt: _occurredAt, ...validated }, params) => ({ type, data: { referralId: params.referralId, ...validated } }),
    });
  }
}
