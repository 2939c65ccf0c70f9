// Intake of tips and denunciations, including the 111 hotline (tiếp nhận tin báo, tố giác).
// Owns the `intake-case-*` streams: one per tip, whose id is the case id. Receives, classifies,
// refers and closes tips; reacts to other agencies' events, never calls them.
import { defineAgencyService } from '@nrm/agency-kit';
import { tipDecider } from './tips/tip-decider.ts';
import { tipFacts } from './tips/tip-facts.ts';
import { registerTipRoutes } from './tips/tip-routes.ts';
import { TipViewSchema, renderTip } from './tips/tip-view.ts';

export const intakeService = defineAgencyService({
  agency: 'intake',
  description: 'Intake of tips and denunciations, including the 111 hotline',
  decider: tipDecider,
  routes: (app, runtime, { vault }) => registerTipRoutes(app, runtime, vault),
  facts: (_runtime, { vault }) => tipFacts(vault),
  view: { schema: TipViewSchema, render: renderTip },
});
