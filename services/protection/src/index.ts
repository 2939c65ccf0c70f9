// Protection, shelter and initial support (bảo vệ, hỗ trợ ban đầu).
// Owns the `protection-*` streams; reacts to other agencies' events, never calls them.
import type { BackboneService } from '@nrm/service-kit';

export const protectionService: BackboneService = {
  name: 'protection',
  description: "Protection, shelter and initial support",
  // The agency's routes are mounted here as its features land; health and readiness are mounted for every service.
  routes: async () => undefined,
};
