// The protection facts a shelter's or social-affairs office's own system may send through
// POST /v1/protection/events: the same commands as the HTTP routes, sealed the same way.
import {
  AdmitToShelterCommandSchema,
  DischargeFromShelterCommandSchema,
  GiveInitialSupportCommandSchema,
  OpenProtectionCaseCommandSchema,
  RecordConsentCommandSchema,
  TakeSafetyMeasureCommandSchema,
  WithdrawConsentCommandSchema,
} from '@nrm/contracts';
import type { z } from 'zod';
import type { IngestibleFact } from '@nrm/agency-kit';
import type { Vault } from '@nrm/vault';
import { withoutOccurredAt } from './case/command-body.ts';
import { recordedConsentData, withdrawnConsentData } from './consent/consent-routes.ts';
import { safetyMeasureData } from './support/support-routes.ts';

export function protectionFacts(vault: Vault): Record<string, IngestibleFact> {
  return {
    'protection.ProtectionCaseOpened': {
      body: OpenProtectionCaseCommandSchema,
      command: (body: z.infer<typeof OpenProtectionCaseCommandSchema>) => ({ type: 'OpenProtectionCase', data: withoutOccurredAt(body) }),
    },
    'protection.ConsentRecorded': {
      body: RecordConsentCommandSchema,
      command: async (body: z.infer<typeof RecordConsentCommandSchema>) => ({ type: 'RecordConsent', data: await recordedConsentData(vault, body) }),
    },
    'protection.ConsentWithdrawn': {
      body: WithdrawConsentCommandSchema,
      command: async (body: z.infer<typeof WithdrawConsentCommandSchema>) => ({ type: 'WithdrawConsent', data: await withdrawnConsentData(vault, body) }),
    },
    'protection.ShelterAdmitted': {
      body: AdmitToShelterCommandSchema,
      command: (body: z.infer<typeof AdmitToShelterCommandSchema>) => ({ type: 'AdmitToShelter', data: withoutOccurredAt(body) }),
    },
    'protection.ShelterDischarged': {
      body: DischargeFromShelterCommandSchema,
      command: (body: z.infer<typeof DischargeFromShelterCommandSchema>) => ({ type: 'DischargeFromShelter', data: withoutOccurredAt(body) }),
    },
    'protection.SafetyMeasureTaken': {
      body: TakeSafetyMeasureCommandSchema,
      command: async (body: z.infer<typeof TakeSafetyMeasureCommandSchema>) => ({ type: 'TakeSafetyMeasure', data: await safetyMeasureData(vault, body) }),
    },
    'protection.InitialSupportGiven': {
      body: GiveInitialSupportCommandSchema,
      command: (body: z.infer<typeof GiveInitialSupportCommandSchema>) => ({ type: 'GiveInitialSupport', data: withoutOccurredAt(body) }),
    },
  };
}
