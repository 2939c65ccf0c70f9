// Identification's HTTP commands that conclude verification: the person identified as a victim
// (who they are sealed for their personId, field by field) or not identified, with the reason
// (the note sealed the same way).
import { IdentifyVictimCommandSchema, PERSON_FIELDS, RecordVictimNotIdentifiedCommandSchema } from '@nrm/contracts';
import type { z } from 'zod';
import { registerCaseCommand, sealIfPresent } from '@nrm/agency-kit';
import type { CaseRuntime } from '@nrm/agency-kit';
import type { NrmApp } from '@nrm/service-kit';
import type { Vault } from '@nrm/vault';
import type { IdentificationCommand } from '../case/identification-decider.ts';
import type { IdentificationCase } from '../case/identification-case.ts';

export async function identifiedVictimData(vault: Vault, body: z.infer<typeof IdentifyVictimCommandSchema>) {
  const { occurredAt: _occurredAt, person, ...clear } = body;
  return { ...clear, person: await vault.sealFields(body.personId, person, PERSON_FIELDS) };
}

export async function notIdentifiedData(vault: Vault, body: z.infer<typeof RecordVictimNotIdentifiedCommandSchema>) {
  const { occurredAt: _occurredAt, note, ...clear } = body;
  const sealedNote = await sealIfPresent(vault, body.personId, 'note', note);
  return { ...clear, ...(sealedNote ? { note: sealedNote } : {}) };
}

export function registerVictimRoutes(app: NrmApp, runtime: CaseRuntime<IdentificationCommand, IdentificationCase>, vault: Vault): void {
  registerCaseCommand(app, runtime, {
    url: '/cases/:caseId/identified-victims',
    summary: 'Identify the person as a victim of trafficking (xác định nạn nhân): forms of exploitation, nationality, sex, age group, child or adult',
    body: IdentifyVictimCommandSchema,
    status: 201,
    command: async (body) => ({ type: 'IdentifyVictim', data: await identifiedVictimData(vault, body) }),
  });
  registerCaseCommand(app, runtime, {
    url: '/cases/:caseId/not-identified-persons',
    summary: 'Record that verification found the person not to be a victim of trafficking, with the reason',
    body: RecordVictimNotIdentifiedCommandSchema,
    status: 201,
    command: async (body) => ({ type: 'RecordVictimNotIdentified', data: await notIdentifiedData(vault, body) }),
  });
}
