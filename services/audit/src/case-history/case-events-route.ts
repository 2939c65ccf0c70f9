// GET /v1/audit/cases/{caseId}/events: every event of a case, across agencies, from the audit
// archive in the order it received them, each with its cause — the referral chain as a graph an
// auditor can walk. Auditors only read. Personal fields stay sealed envelopes here; opening one
// is a separate, recorded act.
import { z } from 'zod';
import { UlidSchema } from '@nrm/contracts';
import { NotFoundError, requireRole } from '@nrm/service-kit';
import type { NrmApp } from '@nrm/service-kit';
import type { ArchiveStore } from '../archive/archive-store.ts';

export const AUDITOR_ROLES = ['auditor', 'standing-office-admin'] as const;

const CaseEventSchema = z.object({
  sequence: z.int().describe("the event's place in the audit archive: the order of the case's history"),
  archivedAt: z.string().describe('when the audit archive received it'),
  id: z.string(),
  type: z.string(),
  agency: z.string(),
  actor: z.string(),
  stream: z.string(),
  revision: z.int(),
  position: z.int().describe("its position in the recording agency's own log"),
  occurredAt: z.string(),
  recordedAt: z.string(),
  causationId: z.string().nullable(),
  hash: z.string(),
  data: z.record(z.string(), z.unknown()),
});

export function registerCaseEventsRoute(app: NrmApp, archive: ArchiveStore): void {
  app.get(
    '/cases/:caseId/events',
    {
      schema: {
        summary: 'Every event of a case across agencies, in archive order, with causation',
        tags: ['audit'],
        params: z.strictObject({ caseId: UlidSchema }),
        response: { 200: z.object({ caseId: z.string(), events: z.array(CaseEventSchema) }) },
      },
      preHandler: [requireRole(...AUDITOR_ROLES)],
    },
    async (request) => {
      const archived = await archive.caseEvents(request.params.caseId);
      if (archived.length === 0) throw new NotFoundError(`no events for case ${request.params.caseId}`);
      return {
        caseId: request.params.caseId,
        events: archived.map(({ sequence, archivedAt, event: { id, type, agency, actor, stream, revision, position, occurredAt, recordedAt, causationId, hash, data } }) => ({
          sequence,
          archivedAt,
          id,
          type,
          agency,
          actor,
          stream,
          revision,
          position,
          occurredAt,
          recordedAt,
          causationId,
          hash,
          data,
        })),
      };
    },
  );
}
