// POST /cases/{caseId}/person-referrals: refer an identified victim onward, naming them. Like the
// shared referral route, the referral id and acceptance deadline are the service's, never the
// caller's.
import { ReferPersonCommandSchema, newId } from '@nrm/contracts';
import { acceptanceDeadline, registerCaseCommand } from '@nrm/agency-kit';
import type { CaseRuntime, DeadlinePolicy } from '@nrm/agency-kit';
import type { NrmApp } from '@nrm/service-kit';
import type { IdentificationCommand } from '../case/identification-decider.ts';
import type { IdentificationCase } from '../case/identification-case.ts';

export function registerOnwardReferralRoute(app: NrmApp, runtime: CaseRuntime<IdentificationCommand, IdentificationCase>, policy: DeadlinePolicy): void {
  registerCaseCommand(app, runtime, {
    url: '/cases/:caseId/person-referrals',
    summary: 'Refer an identified victim onward (chuyển tuyến) to rescue or protection; the acceptance deadline follows the deadline policy',
    body: ReferPersonCommandSchema,
    status: 201,
    command: ({ occurredAt, ...referral }) => {
      const issuedAt = occurredAt ?? new Date().toISOString();
      return { type: 'ReferPerson', data: { referralId: newId(), ...referral, acceptBy: acceptanceDeadline(issuedAt, referral, policy) } };
    },
  });
}
