// GET /cases/{caseId}: the case as this agency sees it, folded from its own stream, with the
// stream revision as ETag (the If-Match of the next write). The agency's view function decides
// what is shown; sealed personal fields are listed by name, never returned.
import { z } from 'zod';
import { etagOf, NotFoundError, requireRole } from '@nrm/service-kit';
import type { Command, NrmApp } from '@nrm/service-kit';
import { CaseParamsSchema } from './case-command-route.ts';
import type { CaseRuntime } from './case-runtime.ts';
import type { ReferralRecord } from './referral-book.ts';

export const READER_ROLES = ['clerk', 'supervisor', 'agency-admin'] as const;

export const ReferralViewSchema = z.object({
  referralId: z.string(),
  direction: z.enum(['outgoing', 'incoming']),
  counterpart: z.string(),
  kind: z.string(),
  priority: z.string(),
  involvesChild: z.boolean(),
  acceptBy: z.string(),
  personId: z.string().nullable(),
  status: z.string(),
  overdue: z.boolean(),
});

export function registerCaseView<C extends Command, S, V extends z.ZodType>(app: NrmApp, runtime: CaseRuntime<C, S>, view: { schema: V; render(state: S): z.infer<V> | null }): void {
  // Typed as a plain ZodType: the agency's view schema is generic here, and what matters at run time is that it serialises the reply.
  const response: z.ZodType = z.object({ caseId: z.string(), revision: z.int(), case: view.schema, referrals: z.array(ReferralViewSchema) });
  app.get(
    '/cases/:caseId',
    {
      schema: {
        summary: `The case as ${runtime.agency} sees it, with its referrals; ETag is the stream revision`,
        tags: [runtime.agency],
        params: CaseParamsSchema,
        response: { 200: response },
      },
      preHandler: [requireRole(...READER_ROLES)],
    },
    async (request, reply) => {
      if (request.principal?.agency !== runtime.agency) throw new NotFoundError(`no case ${request.params.caseId} for this agency`);
      const { state, revision } = await runtime.load(request.params.caseId);
      const rendered = view.render(state.case);
      if (revision === 'no_stream' || rendered === null) throw new NotFoundError(`${runtime.agency} has no case ${request.params.caseId}`);
      reply.header('etag', etagOf(revision));
      const referrals = Object.values(state.referrals).map(({ issuedEventId: _cause, ...record }: ReferralRecord) => record);
      // The response schema (with the agency's view schema inside) is what serialises this: nothing outside it can leak.
      return { caseId: request.params.caseId, revision, case: rendered, referrals };
    },
  );
}
