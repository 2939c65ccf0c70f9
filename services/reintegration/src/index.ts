// Community reintegration (tái hòa nhập cộng đồng).
// Owns the `reintegration-*` streams; reacts to other agencies' events, never calls them.
import type { BackboneService } from '@nrm/service-kit';

export const reintegrationService: BackboneService = {
  name: 'reintegration',
  description: "Community reintegration",
  // The agency's routes are mounted here as its features land; health and readiness are mounted for every service.
  routes: async () => undefined,
};
