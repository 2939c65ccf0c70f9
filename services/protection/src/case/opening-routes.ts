// Opening the protection case over HTTP, on a case whose referral protection accepted.
import { OpenProtectionCaseCommandSchema } from '@nrm/contracts';
import { registerCaseCommand } from '@nrm/agency-kit';
import type { CaseRuntime } from '@nrm/agency-kit';
import type { NrmApp } from '@nrm/service-kit';
import { withoutOccurredAt } from './command-body.ts';
import type { ProtectionCommand } from './protection-decider.ts';
import type { ProtectionCase } from './protection-case.ts';

export function registerOpeningRoute(app: NrmApp, runtime: CaseRuntime<ProtectionCommand, ProtectionCase>): void {
  registerCaseCommand(app, runtime, {
    url: '/cases/:caseId/opening',
    summary: 'Open the protection case (bảo vệ) for the person, from a referral protection accepted in this case',
    body: OpenProtectionCaseCommandSchema,
    command: (body) => ({ type: 'OpenProtectionCase', data: withoutOccurredAt(body) }),
  });
}
