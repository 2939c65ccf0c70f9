// Audit: replay, integrity proofs, statistics and the auditor console (the standing office's read side).
// Owns the `audit-*` streams; reacts to other agencies' events, never calls them.
import type { BackboneService } from '@nrm/service-kit';

export const auditService: BackboneService = {
  name: 'audit',
  description: "Audit: replay, integrity proofs, statistics and the auditor console",
  // The agency's routes are mounted here as its features land; health and readiness are mounted for every service.
  routes: async () => undefined,
};
