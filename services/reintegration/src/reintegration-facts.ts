// The reintegration facts a social-affairs or women's-union system may send through
// POST /v1/reintegration/events: the same commands as the HTTP routes, sealed the same way.
import { AgreeReintegrationPlanCommandSchema, CloseReintegrationCaseCommandSchema, DeliverReintegrationSupportCommandSchema, RecordFollowUpVisitCommandSchema } from '@nrm/contracts';
import type { z } from 'zod';
import type { IngestibleFact } from '@nrm/agency-kit';
import type { Vault } from '@nrm/vault';
import { closureData } from './closure/closure-routes.ts';
import { followUpData } from './follow-ups/follow-up-routes.ts';

export function reintegrationFacts(vault: Vault): Record<string, IngestibleFact> {
  return {
    'reintegration.ReintegrationPlanAgreed': {
      body: AgreeReintegrationPlanCommandSchema,
      command: ({ occurredAt: _occurredAt, ...data }: z.infer<typeof AgreeReintegrationPlanCommandSchema>) => ({ type: 'AgreeReintegrationPlan', data }),
    },
    'reintegration.ReintegrationSupportDelivered': {
      body: DeliverReintegrationSupportCommandSchema,
      command: ({ occurredAt: _occurredAt, ...data }: z.infer<typeof DeliverReintegrationSupportCommandSchema>) => ({ type: 'DeliverReintegrationSupport', data }),
    },
    'reintegration.FollowUpVisitMade': {
      body: RecordFollowUpVisitCommandSchema,
      command: async (body: z.infer<typeof RecordFollowUpVisitCommandSchema>) => ({ type: 'RecordFollowUpVisit', data: await followUpData(vault, body) }),
    },
    'reintegration.ReintegrationCaseClosed': {
      body: CloseReintegrationCaseCommandSchema,
      command: async (body: z.infer<typeof CloseReintegrationCaseCommandSchema>) => ({ type: 'CloseReintegrationCase', data: await closureData(vault, body) }),
    },
  };
}
