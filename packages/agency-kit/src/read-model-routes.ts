// The agency's lists, read from its projections with cursor paging: the referral inbox with
// each referral's deadline status, and its cases newest first.
import { z } from 'zod';
import type { ReferralAgency } from '@nrm/contracts';
import { requireAgency, requireRole } from '@nrm/service-kit';
import type { NrmApp } from '@nrm/service-kit';
import type { ProjectionStore } from '@nrm/projections';
import { caseListProjectionName } from './case-list-projection.ts';
import { READER_ROLES } from './case-view-route.ts';
import { inboxProjectionName } from './referral-inbox-projection.ts';
import type { InboxEntry } from './referral-inbox-projection.ts';

const PageQuery = {
  after: z.string().min(1).max(400).optional().describe('the nextCursor of the previous page'),
  limit: z.coerce.number().int().min(1).max(100).default(50),
};

const InboxQuerySchema = z.strictObject({
  status: z.enum(['received', 'accepted', 'declined', 'completed', 'withdrawn']).optional(),
  overdue: z.enum(['true']).optional().describe('only referrals that passed their acceptance deadline unanswered'),
  ...PageQuery,
});

const InboxItemSchema = z.object({
  referralId: z.string(),
  caseId: z.string(),
  from: z.string(),
  kind: z.string(),
  priority: z.string(),
  involvesChild: z.boolean(),
  personId: z.string().nullable(),
  summary: z.string(),
  acceptBy: z.string(),
  receivedAt: z.string(),
  status: z.string(),
  overdue: z.boolean(),
  answeredAt: z.string().nullable(),
  deadline: z.object({ state: z.enum(['answered', 'open', 'overdue']), minutesLeft: z.int().nullable() }),
});

const CaseItemSchema = z.object({ caseId: z.string(), openedAt: z.string(), lastEventType: z.string(), lastEventAt: z.string(), revision: z.int() });

export function deadlineOf(entry: InboxEntry, now: number): z.infer<typeof InboxItemSchema>['deadline'] {
  if (entry.status !== 'received') return { state: 'answered', minutesLeft: null };
  const minutesLeft = Math.floor((Date.parse(entry.acceptBy) - now) / 60_000);
  return { state: entry.overdue || minutesLeft < 0 ? 'overdue' : 'open', minutesLeft };
}

export function registerReadModelRoutes(app: NrmApp, agency: ReferralAgency, projections: ProjectionStore): void {
  const guard = [requireAgency(agency), requireRole(...READER_ROLES)];
  app.get(
    '/inbox',
    {
      schema: { summary: `Referrals addressed to ${agency}, by acceptance deadline, with where each stands`, tags: [agency], querystring: InboxQuerySchema, response: { 200: z.object({ items: z.array(InboxItemSchema), nextCursor: z.string().nullable() }) } },
      preHandler: guard,
    },
    async (request) => {
      const { status, overdue, after, limit } = request.query;
      const tag = overdue ? 'overdue' : status ? `status:${status}` : undefined;
      const page = await projections.list(inboxProjectionName(agency), { partition: agency, limit, order: 'asc', ...(tag ? { tag } : {}), ...(after ? { after } : {}) });
      const now = Date.now();
      return {
        items: page.items.map((item) => {
          const entry = item.doc as InboxEntry;
          return { ...entry, deadline: deadlineOf(entry, now) };
        }),
        nextCursor: page.nextCursor,
      };
    },
  );
  app.get(
    '/cases',
    {
      schema: { summary: `${agency}'s cases, newest first`, tags: [agency], querystring: z.strictObject(PageQuery), response: { 200: z.object({ items: z.array(CaseItemSchema), nextCursor: z.string().nullable() }) } },
      preHandler: guard,
    },
    async (request) => {
      const page = await projections.list(caseListProjectionName(agency), { partition: agency, limit: request.query.limit, order: 'desc', ...(request.query.after ? { after: request.query.after } : {}) });
      return { items: page.items.map((item) => item.doc as z.infer<typeof CaseItemSchema>), nextCursor: page.nextCursor };
    },
  );
}
