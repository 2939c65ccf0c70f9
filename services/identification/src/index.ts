// Victim identification: verification and identification of victims (xác minh, xác định nạn nhân).
// Owns the `identification-*` streams; reacts to other agencies' events, never calls them.
import type { BackboneService } from '@nrm/service-kit';

export const identificationService: BackboneService = {
  name: 'identification',
  description: "Victim identification: verification and identification of victims",
  // The agency's routes are mounted here as its features land; health and readiness are mounted for every service.
  routes: async () => undefined,
};
