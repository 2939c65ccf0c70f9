// Intake of tips and denunciations, including the 111 hotline (tiếp nhận tin báo, tố giác).
// Owns the `intake-*` streams; reacts to other agencies' events, never calls them.
import type { BackboneService } from '@nrm/service-kit';

export const intakeService: BackboneService = {
  name: 'intake',
  description: "Intake of tips and denunciations, including the 111 hotline",
  // The agency's routes are mounted here as its features land; health and readiness are mounted for every service.
  routes: async () => undefined,
};
