// Cross-border liaison: handover feeds for foreign desks and their acknowledgements.
// Owns the `liaison-*` streams; reacts to other agencies' events, never calls them.
import type { BackboneService } from '@nrm/service-kit';

export const liaisonService: BackboneService = {
  name: 'liaison',
  description: "Cross-border liaison: handover feeds for foreign desks and their acknowledgements",
  // The agency's routes are mounted here as its features land; health and readiness are mounted for every service.
  routes: async () => undefined,
};
