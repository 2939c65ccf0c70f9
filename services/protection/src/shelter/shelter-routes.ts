// Shelter stays over HTTP: admission and discharge, by the shelter's register code.
import { AdmitToShelterCommandSchema, DischargeFromShelterCommandSchema } from '@nrm/contracts';
import { registerCaseCommand } from '@nrm/agency-kit';
import type { CaseRuntime } from '@nrm/agency-kit';
import type { NrmApp } from '@nrm/service-kit';
import { withoutOccurredAt } from '../case/command-body.ts';
import type { ProtectionCommand } from '../case/protection-decider.ts';
import type { ProtectionCase } from '../case/protection-case.ts';

export function registerShelterRoutes(app: NrmApp, runtime: CaseRuntime<ProtectionCommand, ProtectionCase>): void {
  registerCaseCommand(app, runtime, {
    url: '/cases/:caseId/shelter-admissions',
    summary: 'Admit the person to a shelter',
    body: AdmitToShelterCommandSchema,
    status: 201,
    command: (body) => ({ type: 'AdmitToShelter', data: withoutOccurredAt(body) }),
  });
  registerCaseCommand(app, runtime, {
    url: '/cases/:caseId/shelter-discharges',
    summary: 'Discharge the person from the shelter they are in, with the reason',
    body: DischargeFromShelterCommandSchema,
    status: 201,
    command: (body) => ({ type: 'DischargeFromShelter', data: withoutOccurredAt(body) }),
  });
}
