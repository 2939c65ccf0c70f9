// Closing the case over HTTP, with its outcome; the closing note is sealed for the person.
import { CloseReintegrationCaseCommandSchema } from '@nrm/contracts';
import type { z } from 'zod';
import { registerCaseCommand, sealIfPresent } from '@nrm/agency-kit';
import type { CaseRuntime } from '@nrm/agency-kit';
import type { NrmApp } from '@nrm/service-kit';
import type { Vault } from '@nrm/vault';
import type { ReintegrationCommand } from '../case/reintegration-decider.ts';
import type { ReintegrationCase } from '../case/reintegration-case.ts';

export async function closureData(vault: Vault, body: z.infer<typeof CloseReintegrationCaseCommandSchema>) {
  const { occurredAt: _occurredAt, note, ...clear } = body;
  const sealedNote = await sealIfPresent(vault, clear.personId, 'note', note);
  return { ...clear, ...(sealedNote ? { note: sealedNote } : {}) };
}

export function registerClosureRoute(app: NrmApp, runtime: CaseRuntime<ReintegrationCommand, ReintegrationCase>, vault: Vault): void {
  registerCaseCommand(app, runtime, {
    url: '/cases/:caseId/closure',
    summary: 'Close the reintegration case with its outcome; report the referral done with …/referrals/{referralId}/complete',
    body: CloseReintegrationCaseCommandSchema,
    command: async (body) => ({ type: 'CloseReintegrationCase', data: await closureData(vault, body) }),
  });
}
