// Rescue operations and cross-border returns (giải cứu, trao trả, tiếp nhận trở về).
// Owns the `rescue-case-*` streams: a case reaches rescue as a referral (from identification), or
// opens directly on a foreign authority's request or a return from abroad. Rescues are planned,
// executed and their persons recorded; foreign victims are handed back to their country; persons
// are referred to protection. Reacts to events, never calls other services.
import { defineAgencyService } from '@nrm/agency-kit';
import { rescueDecider } from './case/rescue-decider.ts';
import { rescueFacts } from './case/rescue-facts.ts';
import { RescueCaseViewSchema, renderRescueCase } from './case/rescue-view.ts';
import { registerHandoverRoutes } from './handovers/handover-routes.ts';
import { registerOperationRoutes } from './operations/operation-routes.ts';
import { registerReturnRoutes } from './returns/return-routes.ts';

export const rescueService = defineAgencyService({
  agency: 'rescue',
  description: 'Rescue operations and cross-border returns',
  decider: rescueDecider,
  routes: (app, runtime, { vault }) => {
    registerOperationRoutes(app, runtime, vault);
    registerReturnRoutes(app, runtime, vault);
    registerHandoverRoutes(app, runtime);
  },
  facts: (_runtime, { vault }) => rescueFacts(vault),
  view: { schema: RescueCaseViewSchema, render: renderRescueCase },
});
