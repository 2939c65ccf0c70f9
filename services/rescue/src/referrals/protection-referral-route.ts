// POST /cases/{caseId}/person-referrals: refer a person rescue holds to protection, naming them.
// Like the shared referral route, the referral id and acceptance deadline are the service's.
import { ReferPersonCommandSchema, newId } from '@nrm/contracts';
import { acceptanceDeadline, registerCaseCommand } from '@nrm/agency-kit';
import type { CaseRuntime, DeadlinePolicy } from '@nrm/agency-kit';
import type { NrmApp } from '@nrm/service-kit';
import type { RescueCommand } from '../case/rescue-decider.ts';
import type { RescueCase } from '../case/rescue-case.ts';

export function registerProtectionReferralRoute(app: NrmApp, runtime: CaseRuntime<RescueCommand, RescueCase>, policy: DeadlinePolicy): void {
  registerCaseCommand(app, runtime, {
    url: '/cases/:caseId/person-referrals',
    summary: 'Refer a person recovered or returned to protection (chuyển tuyến); the acceptance deadline follows the deadline policy',
    body: ReferPersonCommandSchema,
    status: 201,
    command: ({ occurredAt, ...referral }) => {
      const issuedAt = occurredAt ?? new Date().toISOString();
      return { type: 'ReferPerson', data: { referralId: newId(), ...referral, acceptBy: acceptanceDeadline(issuedAt, referral, policy) } };
    },
  });
}
