// Rescue's HTTP commands for victims returned from abroad (tiếp nhận trở về): a return opens a
// case of its own, or is recorded in a case rescue holds. Each person is sealed for their own
// personId; the answer's `allocated` names the handover and the persons' ids.
import { ReceiveReturnFromAbroadCommandSchema, UlidSchema } from '@nrm/contracts';
import { z } from 'zod';
import { registerCaseCommand } from '@nrm/agency-kit';
import type { CaseRuntime } from '@nrm/agency-kit';
import type { NrmApp } from '@nrm/service-kit';
import type { Vault } from '@nrm/vault';
import type { RescueCommand } from '../case/rescue-decider.ts';
import type { RescueCase } from '../case/rescue-case.ts';
import { listedPersons } from '../persons/listed-persons.ts';

/** The command a return is received with, over HTTP or as a fact; `newCase` when the return opens the case. */
export async function returnReceivedCommand(vault: Vault, body: z.infer<typeof ReceiveReturnFromAbroadCommandSchema>, allocate: (purpose: string) => string, newCase: boolean) {
  const { occurredAt: _occurredAt, persons, ...clear } = body;
  const handoverId = allocate('handover');
  const listed = await listedPersons(vault, persons, allocate);
  return { type: 'ReceiveReturnFromAbroad', data: { handoverId, ...clear, persons: listed, newCase }, allocated: { handoverId, personIds: listed.map((person) => person.personId) } };
}

const returnAllocated = {
  handoverId: UlidSchema.describe('the incoming handover'),
  personIds: z.array(UlidSchema).describe('the persons received, in the order given'),
};

export function registerReturnRoutes(app: NrmApp, runtime: CaseRuntime<RescueCommand, RescueCase>, vault: Vault): void {
  registerCaseCommand(app, runtime, {
    url: '/returns',
    summary: 'Receive victims returned from abroad at a border gate or airport (an incoming handover); opens a case',
    body: ReceiveReturnFromAbroadCommandSchema,
    status: 201,
    allocates: returnAllocated,
    opensCase: true,
    command: (body, { allocate }) => returnReceivedCommand(vault, body, allocate, true),
  });
  registerCaseCommand(app, runtime, {
    url: '/cases/:caseId/returns',
    summary: 'Receive victims returned from abroad in a case rescue holds (an incoming handover)',
    body: ReceiveReturnFromAbroadCommandSchema,
    status: 201,
    allocates: returnAllocated,
    command: (body, { allocate }) => returnReceivedCommand(vault, body, allocate, false),
  });
}
