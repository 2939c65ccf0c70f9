// Intake's HTTP commands on tips: receive (opens a case; the tip's id is the case's id and the
// vault subject of what the reporter said), classify, close. Referral routes are shared.
import { ClassifyTipCommandSchema, CloseTipCommandSchema, ReceiveTipCommandSchema } from '@nrm/contracts';
import type { z } from 'zod';
import { registerCaseCommand, sealIfPresent, sealRecord } from '@nrm/agency-kit';
import type { CaseRuntime } from '@nrm/agency-kit';
import { DomainRuleError } from '@nrm/service-kit';
import type { NrmApp } from '@nrm/service-kit';
import type { Vault } from '@nrm/vault';
import type { TipCommand } from './tip-decider.ts';
import type { Tip } from './tip.ts';

export async function receivedTipData(vault: Vault, tipId: string, body: z.infer<typeof ReceiveTipCommandSchema>) {
  const { occurredAt: _occurredAt, statement, reporter, allegedPlace, ...clear } = body;
  const { locality, ...place } = allegedPlace;
  const sealedLocality = await sealIfPresent(vault, tipId, 'allegedPlace.locality', locality);
  return {
    tipId,
    ...clear,
    allegedPlace: { ...place, ...(sealedLocality ? { locality: sealedLocality } : {}) },
    statement: await vault.seal(tipId, statement, { field: 'statement' }),
    ...(reporter ? { reporter: await sealRecord(vault, tipId, 'reporter', reporter) } : {}),
  };
}

export async function classifiedTipData(vault: Vault, caseId: string, body: z.infer<typeof ClassifyTipCommandSchema>) {
  const { occurredAt: _occurredAt, tipId, note, ...clear } = body;
  if (tipId !== caseId) throw new DomainRuleError('tip-mismatch', `tip ${tipId} is not the tip of case ${caseId}`);
  const sealedNote = await sealIfPresent(vault, tipId, 'note', note);
  return { ...clear, ...(sealedNote ? { note: sealedNote } : {}) };
}

export function closedTipData(caseId: string, body: z.infer<typeof CloseTipCommandSchema>) {
  const { occurredAt: _occurredAt, tipId, ...rest } = body;
  if (tipId !== caseId) throw new DomainRuleError('tip-mismatch', `tip ${tipId} is not the tip of case ${caseId}`);
  return rest;
}

export function registerTipRoutes(app: NrmApp, runtime: CaseRuntime<TipCommand, Tip>, vault: Vault): void {
  registerCaseCommand(app, runtime, {
    url: '/tips',
    summary: 'Receive a tip or denunciation (tiếp nhận tin báo, tố giác); opens a case whose id is the tip id',
    body: ReceiveTipCommandSchema,
    status: 201,
    opensCase: true,
    command: async (body, { caseId }) => ({ type: 'ReceiveTip', data: await receivedTipData(vault, caseId, body) }),
  });
  registerCaseCommand(app, runtime, {
    url: '/cases/:caseId/classification',
    summary: 'Classify the tip (phân loại): what it is about and how urgent it is',
    body: ClassifyTipCommandSchema,
    command: async (body, { caseId }) => ({ type: 'ClassifyTip', data: await classifiedTipData(vault, caseId, body) }),
  });
  registerCaseCommand(app, runtime, {
    url: '/cases/:caseId/closure',
    summary: 'Close the tip with its outcome: referred, unfounded, duplicate or transferred',
    body: CloseTipCommandSchema,
    command: (body, { caseId }) => ({ type: 'CloseTip', data: closedTipData(caseId, body) }),
  });
}
