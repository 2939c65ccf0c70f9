// Rescue's HTTP commands on rescues: a request (opening a case on a foreign authority's request,
// or within a case rescue holds), the operation planned and reported, and the persons recovered.
// The exact locality is sealed for the rescue and each person for their own personId before the
// command is decided; the answers name the ids the service allocated.
import { PlanRescueOperationCommandSchema, RecordPersonsRecoveredCommandSchema, RecordRescueOperationCommandSchema, RequestRescueCommandSchema, UlidSchema } from '@nrm/contracts';
import { z } from 'zod';
import { registerCaseCommand, sealIfPresent } from '@nrm/agency-kit';
import type { CaseRuntime } from '@nrm/agency-kit';
import type { NrmApp } from '@nrm/service-kit';
import type { Vault } from '@nrm/vault';
import { registerAllocatingCommand } from '../case/allocating-command-route.ts';
import { withoutOccurredAt } from '../case/command-body.ts';
import type { RescueCommand } from '../case/rescue-decider.ts';
import type { RescueCase } from '../case/rescue-case.ts';
import { listedPersons } from '../persons/listed-persons.ts';

type Runtime = CaseRuntime<RescueCommand, RescueCase>;

export async function rescueRequestedData(vault: Vault, rescueId: string, body: z.infer<typeof RequestRescueCommandSchema>, newCase: boolean) {
  const { occurredAt: _occurredAt, locality, ...clear } = body;
  const sealedLocality = await sealIfPresent(vault, rescueId, 'locality', locality);
  return { rescueId, ...clear, ...(sealedLocality ? { locality: sealedLocality } : {}), newCase };
}

export async function personsRecoveredData(vault: Vault, body: z.infer<typeof RecordPersonsRecoveredCommandSchema>, allocate: (purpose: string) => string) {
  return { rescueId: body.rescueId, persons: await listedPersons(vault, body.persons, allocate) };
}

const rescueAllocated = { rescueId: UlidSchema.describe('the rescue requested; plans and reports name it') };

export function registerOperationRoutes(app: NrmApp, runtime: Runtime, vault: Vault): void {
  registerAllocatingCommand(app, runtime, {
    url: '/rescues',
    summary: "Open a rescue case on a foreign authority's request for a rescue (giải cứu)",
    body: RequestRescueCommandSchema,
    allocated: rescueAllocated,
    opensCase: true,
    command: async (body, { allocate }) => {
      const rescueId = allocate('rescue');
      return { type: 'RequestRescue', data: await rescueRequestedData(vault, rescueId, body, true), allocated: { rescueId } };
    },
  });
  registerAllocatingCommand(app, runtime, {
    url: '/cases/:caseId/rescues',
    summary: 'Request a rescue in a case rescue holds, citing the referral it accepted when requestedBy is referral',
    body: RequestRescueCommandSchema,
    allocated: rescueAllocated,
    command: async (body, { allocate }) => {
      const rescueId = allocate('rescue');
      return { type: 'RequestRescue', data: await rescueRequestedData(vault, rescueId, body, false), allocated: { rescueId } };
    },
  });
  registerCaseCommand(app, runtime, {
    url: '/cases/:caseId/operation-plans',
    summary: 'Plan the operation of a rescue: when, where and by whom (again to re-plan it, until it took place)',
    body: PlanRescueOperationCommandSchema,
    status: 201,
    command: (body) => ({ type: 'PlanRescueOperation', data: withoutOccurredAt(body) }),
  });
  registerCaseCommand(app, runtime, {
    url: '/cases/:caseId/operation-reports',
    summary: 'Report a planned rescue operation carried out: persons and minors recovered, suspects detained',
    body: RecordRescueOperationCommandSchema,
    status: 201,
    command: (body) => ({ type: 'RecordRescueOperation', data: withoutOccurredAt(body) }),
  });
  registerAllocatingCommand(app, runtime, {
    url: '/cases/:caseId/recovered-persons',
    summary: 'Record the persons an executed operation recovered; each gets a personId and their details are sealed for it',
    body: RecordPersonsRecoveredCommandSchema,
    allocated: { personIds: z.array(UlidSchema).describe('the persons recorded, in the order given') },
    command: async (body, { allocate }) => {
      const data = await personsRecoveredData(vault, body, allocate);
      return { type: 'RecordPersonsRecovered', data, allocated: { personIds: data.persons.map((person) => person.personId) } };
    },
  });
}
