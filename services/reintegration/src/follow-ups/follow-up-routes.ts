// Follow-up visits over HTTP; what the visitor noted may name people and places, so it is
// sealed for the person before the command is decided.
import { RecordFollowUpVisitCommandSchema } from '@nrm/contracts';
import type { z } from 'zod';
import { registerCaseCommand, sealIfPresent } from '@nrm/agency-kit';
import type { CaseRuntime } from '@nrm/agency-kit';
import type { NrmApp } from '@nrm/service-kit';
import type { Vault } from '@nrm/vault';
import type { ReintegrationCommand } from '../case/reintegration-decider.ts';
import type { ReintegrationCase } from '../case/reintegration-case.ts';

export async function followUpData(vault: Vault, body: z.infer<typeof RecordFollowUpVisitCommandSchema>) {
  const { occurredAt: _occurredAt, note, ...clear } = body;
  const sealedNote = await sealIfPresent(vault, clear.personId, 'note', note);
  return { ...clear, ...(sealedNote ? { note: sealedNote } : {}) };
}

export function registerFollowUpRoutes(app: NrmApp, runtime: CaseRuntime<ReintegrationCommand, ReintegrationCase>, vault: Vault): void {
  registerCaseCommand(app, runtime, {
    url: '/cases/:caseId/follow-up-visits',
    summary: 'Record a follow-up visit or call and how the person is doing',
    body: RecordFollowUpVisitCommandSchema,
    status: 201,
    command: async (body) => ({ type: 'RecordFollowUpVisit', data: await followUpData(vault, body) }),
  });
}
