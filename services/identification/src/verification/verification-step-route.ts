// POST /cases/{caseId}/verification-steps: a verification step about a presumed victim. The
// step's note may name people, so it is sealed for the person before the step is decided; the
// first step about someone names no personId, and the answer gives the one allocated.
import { RecordVerificationStepCommandSchema, UlidSchema } from '@nrm/contracts';
import type { z } from 'zod';
import { sealIfPresent } from '@nrm/agency-kit';
import type { CaseRuntime } from '@nrm/agency-kit';
import type { NrmApp } from '@nrm/service-kit';
import type { Vault } from '@nrm/vault';
import { registerAllocatingCommand } from '../case/allocating-command-route.ts';
import type { IdentificationCommand } from '../case/identification-decider.ts';
import type { IdentificationCase } from '../case/identification-case.ts';

export async function verificationStepData(vault: Vault, personId: string, body: z.infer<typeof RecordVerificationStepCommandSchema>) {
  const { occurredAt: _occurredAt, personId: named, note, ...clear } = body;
  const sealedNote = await sealIfPresent(vault, personId, 'note', note);
  return { personId, ...clear, ...(sealedNote ? { note: sealedNote } : {}), newPerson: named === undefined };
}

export function registerVerificationStepRoute(app: NrmApp, runtime: CaseRuntime<IdentificationCommand, IdentificationCase>, vault: Vault): void {
  registerAllocatingCommand(app, runtime, {
    url: '/cases/:caseId/verification-steps',
    summary: 'Record a verification step (xác minh) about a presumed victim; the first step about someone allocates their personId',
    body: RecordVerificationStepCommandSchema,
    allocated: { personId: UlidSchema.describe('the presumed victim the step is about') },
    command: async (body, { allocate }) => {
      const personId = body.personId ?? allocate('person');
      return { type: 'RecordVerificationStep', data: await verificationStepData(vault, personId, body), allocated: { personId } };
    },
  });
}
