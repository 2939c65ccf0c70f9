// POST /cases/{caseId}/verification-steps: a verification step about a presumed victim. The
// step's note may name people, so it is sealed for the person before the step is decided; the
// first step about someone names no personId, and the answer's `allocated` gives the one made.
import { RecordVerificationStepCommandSchema, UlidSchema } from '@nrm/contracts';
import type { z } from 'zod';
import { registerCaseCommand, sealIfPresent } from '@nrm/agency-kit';
import type { CaseRuntime } from '@nrm/agency-kit';
import type { NrmApp } from '@nrm/service-kit';
import type { Vault } from '@nrm/vault';
import type { IdentificationCommand } from '../case/identification-decider.ts';
import type { IdentificationCase } from '../case/identification-case.ts';

/** The command a step is recorded with, over HTTP or as a fact: the person named, or one allocated for a first step. */
export async function verificationStepCommand(vault: Vault, body: z.infer<typeof RecordVerificationStepCommandSchema>, allocate: (purpose: string) => string) {
  const { occurredAt: _occurredAt, personId: named, note, ...clear } = body;
  const personId = named ?? allocate('person');
  const sealedNote = await sealIfPresent(vault, personId, 'note', note);
  return { type: 'RecordVerificationStep', data: { personId, ...clear, ...(sealedNote ? { note: sealedNote } : {}), newPerson: named === undefined }, allocated: { personId } };
}

export function registerVerificationStepRoute(app: NrmApp, runtime: CaseRuntime<IdentificationCommand, IdentificationCase>, vault: Vault): void {
  registerCaseCommand(app, runtime, {
    url: '/cases/:caseId/verification-steps',
    summary: 'Record a verification step (xác minh) about a presumed victim; the first step about someone allocates their personId',
    body: RecordVerificationStepCommandSchema,
    status: 201,
    allocates: { personId: UlidSchema.describe('the presumed victim the step is about') },
    command: (body, { allocate }) => verificationStepCommand(vault, body, allocate),
  });
}
