// Rescue's HTTP commands for victims returned from abroad (tiếp nhận trở về): a return opens a
// case of its own, or is recorded in a case rescue holds. Each person is sealed for their own
// personId; the answer names the handover and the persons' ids.
import { ReceiveReturnFromAbroadCommandSchema, UlidSchema } from '@nrm/contracts';
import { z } from 'zod';
import type { CaseRuntime } from '@nrm/agency-kit';
import type { NrmApp } from '@nrm/service-kit';
import type { Vault } from '@nrm/vault';
import { registerAllocatingCommand } from '../case/allocating-command-route.ts';
import type { RescueCommand } from '../case/rescue-decider.ts';
import type { RescueCase } from '../case/rescue-case.ts';
import { listedPersons } from '../persons/listed-persons.ts';

export async function returnReceivedData(vault: Vault, body: z.infer<typeof ReceiveReturnFromAbroadCommandSchema>, allocate: (purpose: string) => string, newCase: boolean) {
  const { occurredAt: _occurredAt, persons, ...clear } = body;
  return { handoverId: allocate('handover'), ...clear, persons: await listedPersons(vault, persons, allocate), newCase };
}

const returnAllocated = {
  handoverId: UlidSchema.describe('the incoming handover'),
  personIds: z.array(UlidSchema).describe('the persons received, in the order given'),
};

export function registerReturnRoutes(app: NrmApp, runtime: CaseRuntime<RescueCommand, RescueCase>, vault: Vault): void {
  const command = (newCase: boolean) => async (body: z.infer<typeof ReceiveReturnFromAbroadCommandSchema>, { allocate }: { allocate(purpose: string): string }) => {
    const data = await returnReceivedData(vault, body, allocate, newCase);
    return { type: 'ReceiveReturnFromAbroad', data, allocated: { handoverId: data.handoverId, personIds: data.persons.map((person) => person.personId) } };
  };
  registerAllocatingCommand(app, runtime, {
    url: '/returns',
    summary: 'Receive victims returned from abroad at a border gate or airport (an incoming handover); opens a case',
    body: ReceiveReturnFromAbroadCommandSchema,
    allocated: returnAllocated,
    opensCase: true,
    command: command(true),
  });
  registerAllocatingCommand(app, runtime, {
    url: '/cases/:caseId/returns',
    summary: 'Receive victims returned from abroad in a case rescue holds (an incoming handover)',
    body: ReceiveReturnFromAbroadCommandSchema,
    allocated: returnAllocated,
    command: command(false),
  });
}
