// Victim identification: verification and identification of victims (xác minh, xác định nạn nhân).
// Owns the `identification-case-*` streams: a case reaches identification as a referral (from
// intake, or from another agency), and once accepted its presumed victims are verified,
// identified or not, and identified victims referred onward. Reacts to events, never calls.
import { defineAgencyService } from '@nrm/agency-kit';
import { identificationDecider } from './case/identification-decider.ts';
import { identificationFacts } from './case/identification-facts.ts';
import { IdentificationViewSchema, renderIdentificationCase } from './case/identification-view.ts';
import { registerVerificationStepRoute } from './verification/verification-step-route.ts';
import { registerVictimRoutes } from './victims/victim-routes.ts';

export const identificationService = defineAgencyService({
  agency: 'identification',
  description: 'Victim identification: verification and identification of victims',
  decider: identificationDecider,
  routes: (app, runtime, { vault }) => {
    registerVerificationStepRoute(app, runtime, vault);
    registerVictimRoutes(app, runtime, vault);
  },
  facts: (_runtime, { vault }) => identificationFacts(vault),
  view: { schema: IdentificationViewSchema, render: renderIdentificationCase },
});
