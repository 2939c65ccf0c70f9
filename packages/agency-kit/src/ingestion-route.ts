// POST /v1/<agency>/events: an agency's own system sends a batch of facts. Each fact is checked
// like the HTTP command it stands for (its schema, then the agency's rules in the decider), is
// idempotent by its id (the command id its events and allocated ids derive from), and gets its
// own answer: accepted (with the ids allocated), duplicate (the same ids), or rejected with the
// rule's name. One bad fact never fails the others.
import { z } from 'zod';
import { IsoTimeSchema, UlidSchema, deriveId, issuesOf } from '@nrm/contracts';
import { DomainRuleError, ProblemError, principalOf, requireAgency, requireRole } from '@nrm/service-kit';
import type { Command, NrmApp } from '@nrm/service-kit';
import { AllocatedIdsSchema, WRITER_ROLES } from './case-command-route.ts';
import type { CaseCommand } from './case-command-route.ts';
import type { CaseRuntime } from './case-runtime.ts';
import { idAllocator } from './command-request.ts';

/** What a fact's command is built from besides its body: its case, and how to make new ids. */
export type FactContext = {
  caseId: string;
  /** False when the case id was derived from the fact's id: a fact that opens a case gave none. */
  caseIdGiven: boolean;
  /** Makes each new id from the fact's id, so the same fact sent again names the same ids. */
  allocate(purpose: string): string;
};

/** A fact an agency system may send: the event type it records and the command that records it. */
export type IngestibleFact = {
  body: z.ZodType;
  command(body: never, context: FactContext): CaseCommand | Promise<CaseCommand>;
  /** Facts that open a case take their case id from the fact, or derive it from the fact's id. */
  opensCase?: boolean;
};

export const MAX_INGESTION_BATCH = 100;

const FactSchema = z.strictObject({
  id: UlidSchema.describe('the fact id: sending the same fact again is answered `duplicate`'),
  type: z.string().min(1).max(100).describe('the event type the fact records, `<agency>.<EventName>`'),
  occurredAt: IsoTimeSchema.optional().describe('when it happened; defaults to when it is received'),
  caseId: UlidSchema.optional().describe('the case it belongs to; required unless the fact opens a case'),
  data: z.record(z.string(), z.unknown()),
});

const IngestionBodySchema = z.strictObject({ events: z.array(FactSchema).min(1).max(MAX_INGESTION_BATCH) });

const FactResultSchema = z.object({
  id: z.string(),
  status: z.enum(['accepted', 'duplicate', 'rejected']),
  caseId: z.string().optional(),
  rule: z.string().optional(),
  detail: z.string().optional(),
  errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  events: z.array(z.object({ id: z.string(), type: z.string() })).optional(),
  allocated: AllocatedIdsSchema.optional(),
});
type FactResult = z.infer<typeof FactResultSchema>;

export function registerIngestionRoute<C extends Command, S>(app: NrmApp, runtime: CaseRuntime<C, S>, facts: Readonly<Record<string, IngestibleFact>>): void {
  const agency = runtime.agency;
  app.post(
    '/events',
    {
      schema: {
        summary: `Ingest a batch of facts from ${agency}'s own system (at most ${MAX_INGESTION_BATCH}); each is answered on its own`,
        tags: [agency],
        body: IngestionBodySchema,
        response: { 200: z.object({ accepted: z.int(), duplicates: z.int(), rejected: z.int(), results: z.array(FactResultSchema) }) },
      },
      preHandler: [requireAgency(agency), requireRole(...WRITER_ROLES)],
    },
    async (request) => {
      const principal = principalOf(request);
      const results: FactResult[] = [];
      for (const fact of request.body.events) results.push(await ingest(fact, principal.subject, request.traceparent));
      return {
        accepted: results.filter((result) => result.status === 'accepted').length,
        duplicates: results.filter((result) => result.status === 'duplicate').length,
        rejected: results.filter((result) => result.status === 'rejected').length,
        results,
      };
    },
  );

  async function ingest(fact: z.infer<typeof FactSchema>, actor: string, traceparent: string | null): Promise<FactResult> {
    const rejected = (rule: string, detail: string, errors?: FactResult['errors']): FactResult => ({ id: fact.id, status: 'rejected', rule, detail, ...(errors ? { errors } : {}) });
    if (!fact.type.startsWith(`${agency}.`)) return rejected('foreign-event-type', `${agency} may only record its own events, not ${fact.type}`);
    const definition = facts[fact.type];
    if (!definition) return rejected('unknown-event-type', `${fact.type} is not a fact ${agency} accepts; accepted: ${Object.keys(facts).join(', ')}`);
    const parsed = definition.body.safeParse(fact.data);
    if (!parsed.success) return rejected('invalid-payload', `${fact.type} payload is invalid`, issuesOf(parsed.error).map((issue) => ({ field: `data.${issue.path}`.replace(/\.$/, ''), message: issue.message })));
    const caseIdGiven = fact.caseId !== undefined;
    const caseId = fact.caseId ?? (definition.opensCase ? deriveId(fact.id, 'case') : undefined);
    if (!caseId) return rejected('case-required', `${fact.type} belongs to a case: give caseId`);

    try {
      // Ids derive from the fact's id, so a fact sent again is answered with the ids first allocated.
      const { type, data, allocated } = await definition.command(parsed.data as never, { caseId, caseIdGiven, allocate: idAllocator(fact.id) });
      const answer = { id: fact.id, caseId, ...(allocated ? { allocated } : {}) };
      // The fact's id is the command id: a fact already recorded is found by its derived event ids and answered as a duplicate.
      const result = await runtime.execute(
        caseId,
        type,
        data,
        { commandId: fact.id, now: fact.occurredAt ?? new Date().toISOString(), actor, agency, caseId, causationId: null, traceparent },
        definition.opensCase && !caseIdGiven ? 'no_stream' : undefined,
        { replayable: true },
      );
      if (result.events.length === 0) return rejected('nothing-to-record', `${fact.type} changes nothing in case ${caseId}`);
      return { ...answer, status: result.duplicate ? 'duplicate' : 'accepted', events: result.events.map((event) => ({ id: event.id, type: event.type })) };
    } catch (error) {
      if (error instanceof DomainRuleError) return rejected(error.rule, error.message);
      if (error instanceof ProblemError && error.status < 500) return rejected(error.slug, error.message);
      throw error;
    }
  }
}
