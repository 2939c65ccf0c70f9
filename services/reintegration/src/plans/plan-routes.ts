// The plan and the support delivered against it, over HTTP. Neither holds personal data: what
// is planned and given is counted in clear, the person named only by id.
import { AgreeReintegrationPlanCommandSchema, DeliverReintegrationSupportCommandSchema } from '@nrm/contracts';
import { registerCaseCommand } from '@nrm/agency-kit';
import type { CaseRuntime } from '@nrm/agency-kit';
import type { NrmApp } from '@nrm/service-kit';
import type { ReintegrationCommand } from '../case/reintegration-decider.ts';
import type { ReintegrationCase } from '../case/reintegration-case.ts';

export function registerPlanRoutes(app: NrmApp, runtime: CaseRuntime<ReintegrationCommand, ReintegrationCase>): void {
  registerCaseCommand(app, runtime, {
    url: '/cases/:caseId/plans',
    summary: 'Agree a reintegration plan with the person (or revise it): the support planned',
    body: AgreeReintegrationPlanCommandSchema,
    status: 201,
    command: ({ occurredAt: _occurredAt, ...data }) => ({ type: 'AgreeReintegrationPlan', data }),
  });
  registerCaseCommand(app, runtime, {
    url: '/cases/:caseId/support-deliveries',
    summary: 'Record support delivered against the plan: vocational training, job placement, education, medical, cash allowance, legal or psychosocial',
    body: DeliverReintegrationSupportCommandSchema,
    status: 201,
    command: ({ occurredAt: _occurredAt, ...data }) => ({ type: 'DeliverReintegrationSupport', data }),
  });
}
