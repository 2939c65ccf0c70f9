// The facts identification's own case-management system may send through
// POST /v1/identification/events: the same commands as the HTTP routes, sealed the same way; a
// first step's answer names the person allocated, like the route's.
import { IdentifyVictimCommandSchema, RecordVerificationStepCommandSchema, RecordVictimNotIdentifiedCommandSchema } from '@nrm/contracts';
import type { z } from 'zod';
import type { IngestibleFact } from '@nrm/agency-kit';
import type { Vault } from '@nrm/vault';
import { verificationStepCommand } from '../verification/verification-step-route.ts';
import { identifiedVictimData, notIdentifiedData } from '../victims/victim-routes.ts';

export function identificationFacts(vault: Vault): Record<string, IngestibleFact> {
  return {
    'identification.VerificationStepRecorded': {
      body: RecordVerificationStepCommandSchema,
      command: (body: z.infer<typeof RecordVerificationStepCommandSchema>, { allocate }) => verificationStepCommand(vault, body, allocate),
    },
    'identification.VictimIdentified': {
      body: IdentifyVictimCommandSchema,
      command: async (body: z.infer<typeof IdentifyVictimCommandSchema>) => ({ type: 'IdentifyVictim', data: await identifiedVictimData(vault, body) }),
    },
    'identification.VictimNotIdentified': {
      body: RecordVictimNotIdentifiedCommandSchema,
      command: async (body: z.infer<typeof RecordVictimNotIdentifiedCommandSchema>) => ({ type: 'RecordVictimNotIdentified', data: await notIdentifiedData(vault, body) }),
    },
  };
}
