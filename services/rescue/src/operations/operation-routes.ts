// Rescue's HTTP commands on rescues: a request (opening a case on a foreign authority's request,
// or within a case rescue holds), the operation planned and reported, and the persons recovered.
// The exact locality is sealed for the rescue and each person for their own personId before the
// command is decided; the answers' `allocated` names the ids the service made.
import { PlanRescueOperationCommandSchema, RecordPersonsRecoveredCommandSchema, RecordRescueOperationCommandSchema, RequestRescueCommandSchema, UlidSchema } from '@nrm/contracts';
import { z } from 'zod';
import { registerCaseCommand, sealIfPresent } from '@nrm/agency-kit';
import type { CaseRuntime } from '@nrm/agency-kit';
import type { NrmApp } from '@nrm/service-kit';
import type { Vault } from '@nrm/vault';
import { withoutOccurredAt } from '../case/command-body.ts';
import type { RescueCommand } from '../case/rescue-decider.ts';
import type { RescueCase } from '../case/rescue-case.ts';
import { listedPersons } from '../persons/listed-persons.ts';

type Allocate = (purpose: string) => string;

/** The command a rescue is requested with, over HTTP or as a fact; `newCase` when the request opens the case. */
export async function rescueRequestCommand(vault: Vault, body: z.infer<typeof RequestRescueCommandSchema>, allocate: Allocate, newCase: boolean) {
  const { occurredAt: _occurredAt, locality, ...clear } = body;
  const rescueId = allocate('rescue');
  const sealedLocality = await sealIfPresent(vault, rescueId, 'locality', locality);
  return { type: 'RequestRescue', data: { rescueId, ...clear, ...(sealedLocality ? { locality: sealedLocality } : {}), newCase }, allocated: { rescueId } };
}

/** The command recovered persons are recorded with, over HTTP or as a fact. */
export async function personsRecoveredCommand(vault: Vault, body: z.infer<typeof RecordPersonsRecoveredCommandSchema>, allocate: Allocate) {
  const persons = await listedPersons(vault, body.persons, allocate);
  return { type: 'RecordPersonsRecovered', data: { rescueId: body.rescueId, persons }, allocated: { personIds: persons.map((person) => person.personId) } };
}

const rescueAllocated = { rescueId: UlidSchema.describe('the rescue requested; plans and reports name it') };

export function registerOperationRoutes(app: NrmApp, runtime: CaseRuntime<RescueCommand, RescueCase>, vault: Vault): void {
  registerCaseCommand(app, runtime, {
    url: '/rescues',
    summary: "Open a rescue case on a foreign authority's request for a rescue (giải cứu)",
    body: RequestRescueCommandSchema,
    status: 201,
    allocates: rescueAllocated,
    opensCase: true,
    command: (body, { allocate }) => rescueRequestCommand(vault, body, allocate, true),
  });
  registerCaseCommand(app, runtime, {
    url: '/cases/:caseId/rescues',
    summary: 'Request a rescue in a case rescue holds, citing the referral it accepted when requestedBy is referral',
    body: RequestRescueCommandSchema,
    status: 201,
    allocates: rescueAllocated,
    command: (body, { allocate }) => rescueRequestCommand(vault, body, allocate, false),
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
  registerCaseCommand(app, runtime, {
    url: '/cases/:caseId/recovered-persons',
    summary: 'Record the persons an executed operation recovered; each gets a personId and their details are sealed for it',
    body: RecordPersonsRecoveredCommandSchema,
    status: 201,
    allocates: { personIds: z.array(UlidSchema).describe('the persons recorded, in the order given') },
    command: (body, { allocate }) => personsRecoveredCommand(vault, body, allocate),
  });
}
