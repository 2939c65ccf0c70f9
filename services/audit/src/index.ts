// Audit: the steering committee standing office's read side — replay a case across agencies,
// prove nothing was changed, produce the statistics. Reads every agency's events; writes none
// of theirs.
import type { BackboneService } from '@nrm/service-kit';
import { registerCaseEventsRoute } from './case-history/case-events-route.ts';

export const auditService: BackboneService = {
  name: 'audit',
  description: "Audit: replay, integrity proofs, statistics and the auditor console (the standing office's read side)",
  routes: async (app, { store }) => registerCaseEventsRoute(app, store),
};
