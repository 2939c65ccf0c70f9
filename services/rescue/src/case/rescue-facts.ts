// The facts rescue's own systems (the border guard's gate software, operation reports) may send
// through POST /v1/rescue/events: the same commands as the HTTP routes, sealed the same way. A
// request citing a referral belongs to the case the referral came in (give its caseId); any
// other request, and a return from abroad, opens a case of its own.
import {
  CompleteHandoverCommandSchema,
  PlanHandoverCommandSchema,
  PlanRescueOperationCommandSchema,
  ReceiveReturnFromAbroadCommandSchema,
  RecordPersonsRecoveredCommandSchema,
  RecordRescueOperationCommandSchema,
  RequestRescueCommandSchema,
  ScheduleHandoverCommandSchema,
  newId,
} from '@nrm/contracts';
import type { z } from 'zod';
import type { IngestibleFact } from '@nrm/agency-kit';
import type { Vault } from '@nrm/vault';
import { plannedHandoverData } from '../handovers/handover-routes.ts';
import { personsRecoveredData, rescueRequestedData } from '../operations/operation-routes.ts';
import { returnReceivedData } from '../returns/return-routes.ts';
import { withoutOccurredAt } from './command-body.ts';

export function rescueFacts(vault: Vault): Record<string, IngestibleFact> {
  // A fact sent again is answered as a duplicate before its command is made, so fresh ids suffice here.
  const allocate = () => newId();
  return {
    'rescue.RescueRequested': {
      body: RequestRescueCommandSchema,
      opensCase: true,
      command: async (body: z.infer<typeof RequestRescueCommandSchema>) => ({ type: 'RequestRescue', data: await rescueRequestedData(vault, allocate(), body, body.requestedBy !== 'referral') }),
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
      command: async (body: z.infer<typeof RecordPersonsRecoveredCommandSchema>) => ({ type: 'RecordPersonsRecovered', data: await personsRecoveredData(vault, body, allocate) }),
    },
    'rescue.ReturnFromAbroadReceived': {
      body: ReceiveReturnFromAbroadCommandSchema,
      opensCase: true,
      command: async (body: z.infer<typeof ReceiveReturnFromAbroadCommandSchema>) => ({ type: 'ReceiveReturnFromAbroad', data: await returnReceivedData(vault, body, allocate, true) }),
    },
    'rescue.HandoverPlanned': {
      body: PlanHandoverCommandSchema,
      command: (body: z.infer<typeof PlanHandoverCommandSchema>) => ({ type: 'PlanHandover', data: plannedHandoverData(allocate(), body) }),
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
