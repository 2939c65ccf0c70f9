// Rescue operations and cross-border returns (giải cứu, trao trả, tiếp nhận trở về).
// Owns the `rescue-*` streams; reacts to other agencies' events, never calls them.
import type { BackboneService } from '@nrm/service-kit';

export const rescueService: BackboneService = {
  name: 'rescue',
  description: "Rescue operations and cross-border returns",
  // The agency's routes are mounted here as its features land; health and readiness are mounted for every service.
  routes: async () => undefined,
};
