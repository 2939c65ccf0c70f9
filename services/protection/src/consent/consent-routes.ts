// Consent over HTTP: record it (the service allocates its id; where the signed form is kept is
// sealed for the person) and withdraw it scope by scope (the reason given is sealed too).
import { RecordConsentCommandSchema, WithdrawConsentCommandSchema, newId } from '@nrm/contracts';
import type { z } from 'zod';
import { registerCaseCommand, sealIfPresent } from '@nrm/agency-kit';
import type { CaseRuntime } from '@nrm/agency-kit';
import type { NrmApp } from '@nrm/service-kit';
import type { Vault } from '@nrm/vault';
import type { ProtectionCommand } from '../case/protection-decider.ts';
import type { ProtectionCase } from '../case/protection-case.ts';

export async function recordedConsentData(vault: Vault, body: z.infer<typeof RecordConsentCommandSchema>) {
  const { occurredAt: _occurredAt, document, ...clear } = body;
  const sealedDocument = await sealIfPresent(vault, clear.personId, 'document', document);
  return { ...clear, consentId: newId(), ...(sealedDocument ? { document: sealedDocument } : {}) };
}

export async function withdrawnConsentData(vault: Vault, body: z.infer<typeof WithdrawConsentCommandSchema>) {
  const { occurredAt: _occurredAt, note, ...clear } = body;
  const sealedNote = await sealIfPresent(vault, clear.personId, 'note', note);
  return { ...clear, ...(sealedNote ? { note: sealedNote } : {}) };
}

export function registerConsentRoutes(app: NrmApp, runtime: CaseRuntime<ProtectionCommand, ProtectionCase>, vault: Vault): void {
  registerCaseCommand(app, runtime, {
    url: '/cases/:caseId/consents',
    summary: 'Record the person’s consent to data sharing, handover and/or reintegration; the case view shows its id',
    body: RecordConsentCommandSchema,
    status: 201,
    command: async (body) => ({ type: 'RecordConsent', data: await recordedConsentData(vault, body) }),
  });
  registerCaseCommand(app, runtime, {
    url: '/cases/:caseId/consent-withdrawals',
    summary: 'Withdraw a consent in force for some or all of its scopes',
    body: WithdrawConsentCommandSchema,
    status: 201,
    command: async (body) => ({ type: 'WithdrawConsent', data: await withdrawnConsentData(vault, body) }),
  });
}
