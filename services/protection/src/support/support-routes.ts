// Safety measures and initial support over HTTP; a measure's note may name people, so it is
// sealed for the person before the command is decided.
import { GiveInitialSupportCommandSchema, TakeSafetyMeasureCommandSchema } from '@nrm/contracts';
import type { z } from 'zod';
import { registerCaseCommand, sealIfPresent } from '@nrm/agency-kit';
import type { CaseRuntime } from '@nrm/agency-kit';
import type { NrmApp } from '@nrm/service-kit';
import type { Vault } from '@nrm/vault';
import { withoutOccurredAt } from '../case/command-body.ts';
import type { ProtectionCommand } from '../case/protection-decider.ts';
import type { ProtectionCase } from '../case/protection-case.ts';

export async function safetyMeasureData(vault: Vault, body: z.infer<typeof TakeSafetyMeasureCommandSchema>) {
  const { occurredAt: _occurredAt, note, ...clear } = body;
  const sealedNote = await sealIfPresent(vault, clear.personId, 'note', note);
  return { ...clear, ...(sealedNote ? { note: sealedNote } : {}) };
}

export function registerSupportRoutes(app: NrmApp, runtime: CaseRuntime<ProtectionCommand, ProtectionCase>, vault: Vault): void {
  registerCaseCommand(app, runtime, {
    url: '/cases/:caseId/safety-measures',
    summary: 'Record a measure taken to keep the person safe',
    body: TakeSafetyMeasureCommandSchema,
    status: 201,
    command: async (body) => ({ type: 'TakeSafetyMeasure', data: await safetyMeasureData(vault, body) }),
  });
  registerCaseCommand(app, runtime, {
    url: '/cases/:caseId/initial-support',
    summary: 'Record initial support given (hỗ trợ ban đầu): food, clothing, medical, psychological, legal aid, travel allowance',
    body: GiveInitialSupportCommandSchema,
    status: 201,
    command: (body) => ({ type: 'GiveInitialSupport', data: withoutOccurredAt(body) }),
  });
}
