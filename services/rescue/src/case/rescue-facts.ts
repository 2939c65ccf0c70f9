// The facts rescue's own systems (the border guard's gate software, operation reports) may send
// through POST /v1/rescue/events: the same commands as the HTTP routes, sealed the same way, with
// the same ids allocated and answered. A rescue request or a return with a caseId is recorded in
// that case, like the `/cases/{caseId}/…` routes; without one it opens a case of its own, like
// `/rescues` and `/returns` (and only a foreign authority's request opens a case).
import {
  CompleteHandoverCommandSchema,
  PlanHandoverCommandSchema,
  PlanRescueOperationCommandSchema,
  ReceiveReturnFromAbroadCommandSchema,
  RecordPersonsRecoveredCommandSchema,
  RecordRescueOperationCommandSchema,
  RequestRescueCommandSchema,
  ScheduleHandoverCommandSchema,
} from '@nrm/contracts';
import type { z } from 'zod';
import type { IngestibleFact } from '@nrm/agency-kit';
import type { Vault } from '@nrm/vault';
import { plannedHandoverCommand } from '../handovers/handover-routes.ts';
import { personsRecoveredCommand, rescueRequestCommand } from '../operations/operation-routes.ts';
import { returnReceivedCommand } from '../returns/return-routes.ts';
import { withoutOccurredAt } from './command-body.ts';

export function rescueFacts(vault: Vault): Record<string, IngestibleFact> {
  return {
    'rescue.RescueRequested': {
      body: RequestRescueCommandSchema,
      opensCase: true,
      command: (body: z.infer<typeof RequestRescueCommandSchema>, { caseIdGiven, allocate }) => rescueRequestCommand(vault, body, allocate, !caseIdGiven),
    },
    'rescue.RescueOperationPlanned': {
      body: PlanRescueOperationCommandSchema,
      command: (body: z.infer<typeof PlanRescueOperationCommandSchema>) => ({ type: 'PlanRescueOperation', data: withoutOccurredAt(body) }),
    },
    'rescue.RescueOperationExecuted': {
      body: RecordRescueOperationCommandSchema,
      command: (body: z.infer<typeof RecordRescueOperationCommandSchema>) => ({ type: 'RecordRescueOperation', data: withoutOccurredAt(body) }),
    },
    'rescue.PersonsRecovered': {
      body: RecordPersonsRecoveredCommandSchema,
      command: (body: z.infer<typeof RecordPersonsRecoveredCommandSchema>, { allocate }) => personsRecoveredCommand(vault, body, allocate),
    },
    'rescue.ReturnFromAbroadReceived': {
      body: ReceiveReturnFromAbroadCommandSchema,
      opensCase: true,
      command: (body: z.infer<typeof ReceiveReturnFromAbroadCommandSchema>, { caseIdGiven, allocate }) => returnReceivedCommand(vault, body, allocate, !caseIdGiven),
    },
    'rescue.HandoverPlanned': {
      body: PlanHandoverCommandSchema,
      command: (body: z.infer<typeof PlanHandoverCommandSchema>, { allocate }) => plannedHandoverCommand(body, allocate),
    },
    'rescue.HandoverScheduled': {
      body: ScheduleHandoverCommandSchema,
      command: (body: z.infer<typeof ScheduleHandoverCommandSchema>) => ({ type: 'ScheduleHandover', data: withoutOccurredAt(body) }),
    },
    'rescue.HandoverCompleted': {
      body: CompleteHandoverCommandSchema,
      command: (body: z.infer<typeof CompleteHandoverCommandSchema>) => ({ type: 'CompleteHandover', data: withoutOccurredAt(body) }),
    },
  };
}
