// Community reintegration (tái hòa nhập cộng đồng).
// Owns the `reintegration-case-*` streams: a case starts when reintegration accepts a referral
// naming the person; a plan is agreed, support delivered against it, follow-up visits made, and
// the case closed with an outcome. Reacts to other agencies' events, never calls them.
import { defineAgencyService } from '@nrm/agency-kit';
import { reintegrationDecider } from './case/reintegration-decider.ts';
import { ReintegrationCaseViewSchema, renderReintegrationCase } from './case/reintegration-view.ts';
import { registerClosureRoute } from './closure/closure-routes.ts';
import { registerFollowUpRoutes } from './follow-ups/follow-up-routes.ts';
import { registerPlanRoutes } from './plans/plan-routes.ts';
import { reintegrationFacts } from './reintegration-facts.ts';

export { reintegrationDecider } from './case/reintegration-decider.ts';
export type { ReintegrationCommand } from './case/reintegration-decider.ts';
export type { ReintegrationCase } from './case/reintegration-case.ts';

export const reintegrationService = defineAgencyService({
  agency: 'reintegration',
  description: 'Community reintegration',
  decider: reintegrationDecider,
  routes: (app, runtime, { vault }) => {
    registerPlanRoutes(app, runtime);
    registerFollowUpRoutes(app, runtime, vault);
    registerClosureRoute(app, runtime, vault);
  },
  facts: (_runtime, { vault }) => reintegrationFacts(vault),
  view: { schema: ReintegrationCaseViewSchema, render: renderReintegrationCase },
});
