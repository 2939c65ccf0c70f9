// GET /v1/audit/cases/{caseId}/events: every event of a case, across agencies, in the order the
// log recorded them, each with its cause — the referral chain as a graph an auditor can walk.
// Auditors only read. Personal fields stay sealed envelopes here; opening one is a separate,
// recorded act.
import { z } from 'zod';
import { UlidSchema } from '@nrm/contracts';
import type { RecordedEvent } from '@nrm/contracts';
import type { EventStore } from '@nrm/eventstore';
import { NotFoundError, requireRole } from '@nrm/service-kit';
import type { NrmApp } from '@nrm/service-kit';

export const AUDITOR_ROLES = ['auditor', 'standing-office-admin'] as const;

const CaseEventSchema = z.object({
  id: z.string(),
  type: z.string(),
  agency: z.string(),
  actor: z.string(),
  stream: z.string(),
  revision: z.int(),
  position: z.int(),
  occurredAt: z.string(),
  recordedAt: z.string(),
  causationId: z.string().nullable(),
  hash: z.string(),
  data: z.record(z.string(), z.unknown()),
});

export function registerCaseEventsRoute(app: NrmApp, store: EventStore): void {
  app.get(
    '/cases/:caseId/events',
    {
      schema: {
        summary: 'Every event of a case across agencies, in log order, with causation',
        tags: ['audit'],
        params: z.strictObject({ caseId: UlidSchema }),
        response: { 200: z.object({ caseId: z.string(), events: z.array(CaseEventSchema) }) },
      },
      preHandler: [requireRole(...AUDITOR_ROLES)],
    },
    async (request) => {
      const events: RecordedEvent[] = [];
      for await (const event of store.readAll({ filter: { caseIds: [request.params.caseId] } })) events.push(event);
      if (events.length === 0) throw new NotFoundError(`no events for case ${request.params.caseId}`);
      return {
        caseId: request.params.caseId,
        events: events.map(({ id, type, agency, actor, stream, revision, position, occurredAt, recordedAt, causationId, hash, data }) => ({ id, type, agency, actor, stream, revision, position, occurredAt, recordedAt, causationId, hash, data })),
      };
    },
  );
}
