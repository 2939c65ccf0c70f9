// POST /cases/{caseId}/person-referrals: refer the case onward naming the person referred. The
// shared referral route takes the contracts' ReferCommandSchema, which has no personId, and
// reintegration continues a case only for a named person; the contracts give protection the
// Refer command with it (ReferPersonCommandSchema). Same deadline policy as the shared route.
import { ReferPersonCommandSchema, newId } from '@nrm/contracts';
import { acceptanceDeadline, registerCaseCommand } from '@nrm/agency-kit';
import type { CaseRuntime, DeadlinePolicy } from '@nrm/agency-kit';
import type { NrmApp } from '@nrm/service-kit';
import type { ProtectionCommand } from '../case/protection-decider.ts';
import type { ProtectionCase } from '../case/protection-case.ts';

export function registerPersonReferralRoute(app: NrmApp, runtime: CaseRuntime<ProtectionCommand, ProtectionCase>, policy: DeadlinePolicy): void {
  registerCaseCommand(app, runtime, {
    url: '/cases/:caseId/person-referrals',
    summary: 'Refer the person onward (chuyển tuyến), e.g. to reintegration; the acceptance deadline follows the deadline policy',
    body: ReferPersonCommandSchema,
    status: 201,
    command: ({ occurredAt, ...body }) => {
      const issuedAt = occurredAt ?? new Date().toISOString();
      return { type: 'IssueReferral', data: { referralId: newId(), ...body, acceptBy: acceptanceDeadline(issuedAt, body, policy) } };
    },
  });
}
