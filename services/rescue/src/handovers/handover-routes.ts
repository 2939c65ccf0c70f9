// Rescue's HTTP commands for returning foreign victims to their country (trao trả): plan the
// handover (the answer's `allocated` names its id), schedule it with the date agreed, complete it.
import { CompleteHandoverCommandSchema, PlanHandoverCommandSchema, ScheduleHandoverCommandSchema, UlidSchema } from '@nrm/contracts';
import type { z } from 'zod';
import { registerCaseCommand } from '@nrm/agency-kit';
import type { CaseRuntime } from '@nrm/agency-kit';
import type { NrmApp } from '@nrm/service-kit';
import { withoutOccurredAt } from '../case/command-body.ts';
import type { RescueCommand } from '../case/rescue-decider.ts';
import type { RescueCase } from '../case/rescue-case.ts';

/** The command a handover is planned with, over HTTP or as a fact. */
export function plannedHandoverCommand(body: z.infer<typeof PlanHandoverCommandSchema>, allocate: (purpose: string) => string) {
  const handoverId = allocate('handover');
  return { type: 'PlanHandover', data: { handoverId, ...withoutOccurredAt(body) }, allocated: { handoverId } };
}

export function registerHandoverRoutes(app: NrmApp, runtime: CaseRuntime<RescueCommand, RescueCase>): void {
  registerCaseCommand(app, runtime, {
    url: '/cases/:caseId/handovers',
    summary: 'Plan the return of foreign victims the case holds to their country (an outgoing handover): country, border gate, proposed date, needs',
    body: PlanHandoverCommandSchema,
    status: 201,
    allocates: { handoverId: UlidSchema.describe('the outgoing handover; scheduling and completion name it') },
    command: (body, { allocate }) => plannedHandoverCommand(body, allocate),
  });
  registerCaseCommand(app, runtime, {
    url: '/cases/:caseId/handover-schedules',
    summary: 'Schedule a planned handover on the date agreed with the receiving side (again to reschedule it, until it is completed)',
    body: ScheduleHandoverCommandSchema,
    status: 201,
    command: (body) => ({ type: 'ScheduleHandover', data: withoutOccurredAt(body) }),
  });
  registerCaseCommand(app, runtime, {
    url: '/cases/:caseId/handover-completions',
    summary: 'Complete a scheduled handover: the foreign authority took the persons over',
    body: CompleteHandoverCommandSchema,
    status: 201,
    command: (body) => ({ type: 'CompleteHandover', data: withoutOccurredAt(body) }),
  });
}
