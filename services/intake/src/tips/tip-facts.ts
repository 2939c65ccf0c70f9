// The tip facts intake's own systems (the 111 hotline's call software, police reporting) may send
// through POST /v1/intake/events: the same commands as the HTTP routes, sealed the same way.
import { ClassifyTipCommandSchema, CloseTipCommandSchema, ReceiveTipCommandSchema } from '@nrm/contracts';
import type { z } from 'zod';
import type { IngestibleFact } from '@nrm/agency-kit';
import type { Vault } from '@nrm/vault';
import { classifiedTipData, closedTipData, receivedTipData } from './tip-routes.ts';

export function tipFacts(vault: Vault): Record<string, IngestibleFact> {
  return {
    'intake.TipReceived': {
      body: ReceiveTipCommandSchema,
      opensCase: true,
      command: async (body: z.infer<typeof ReceiveTipCommandSchema>, { caseId }) => ({ type: 'ReceiveTip', data: await receivedTipData(vault, caseId, body) }),
    },
    'intake.TipClassified': {
      body: ClassifyTipCommandSchema,
      command: async (body: z.infer<typeof ClassifyTipCommandSchema>, { caseId }) => ({ type: 'ClassifyTip', data: await classifiedTipData(vault, caseId, body) }),
    },
    'intake.TipClosed': {
      body: CloseTipCommandSchema,
      command: (body: z.infer<typeof CloseTipCommandSchema>, { caseId }) => ({ type: 'CloseTip', data: closedTipData(caseId, body) }),
    },
  };
}
