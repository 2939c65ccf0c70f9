// Protection, shelter and initial support (bảo vệ, hỗ trợ ban đầu).
// Owns the `protection-case-*` streams: a case opens from a referral protection accepted, for one
// person, whose consent, shelter stays, safety and support it records; it refers the person on
// (to reintegration, with their consent). Reacts to other agencies' events, never calls them.
import { defineAgencyService } from '@nrm/agency-kit';
import { registerOpeningRoute } from './case/opening-routes.ts';
import { protectionDecider } from './case/protection-decider.ts';
import { ProtectionCaseViewSchema, renderProtectionCase } from './case/protection-view.ts';
import { registerConsentRoutes } from './consent/consent-routes.ts';
import { protectionFacts } from './protection-facts.ts';
import { registerShelterRoutes } from './shelter/shelter-routes.ts';
import { registerSupportRoutes } from './support/support-routes.ts';

export { protectionDecider } from './case/protection-decider.ts';
export type { ProtectionCommand } from './case/protection-decider.ts';
export { consentInForce } from './case/protection-case.ts';
export type { ProtectionCase } from './case/protection-case.ts';
export type { ConsentInForce, ConsentScope } from './consent/consent.ts';

export const protectionService = defineAgencyService({
  agency: 'protection',
  description: 'Protection, shelter and initial support',
  decider: protectionDecider,
  routes: (app, runtime, { vault }) => {
    registerOpeningRoute(app, runtime);
    registerConsentRoutes(app, runtime, vault);
    registerShelterRoutes(app, runtime);
    registerSupportRoutes(app, runtime, vault);
  },
  facts: (_runtime, { vault }) => protectionFacts(vault),
  view: { schema: ProtectionCaseViewSchema, render: renderProtectionCase },
});
