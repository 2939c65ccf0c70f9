// One fact from an agency's own system, checked and recorded the same way whether it came in an
// HTTP batch (POST /v1/<agency>/events) or as a message on the agency's Kafka ingress topic:
// its event type, then its payload against the fact's schema, then the agency's rules in the
// decider. It is idempotent by its id (the command id its events and allocated ids derive
// from) and gets its own answer: accepted (with the ids allocated), duplicate (the same ids),
// or rejected with the rule's name. Only a failure to decide (the store failed) is thrown.
import { z } from 'zod';
import { IsoTimeSchema, UlidSchema, deriveId, issuesOf } from '@nrm/contracts';
import type { FieldError, ParsedFact } from '@nrm/bus';
import { DomainRuleError, ProblemError } from '@nrm/service-kit';
import type { Command } from '@nrm/service-kit';
import { AllocatedIdsSchema } from './case-command-route.ts';
import type { AllocatedIds, CaseCommand } from './case-command-route.ts';
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

export const FactSchema = z.strictObject({
  id: UlidSchema.describe('the fact id: sending the same fact again is answered `duplicate`'),
  type: z.string().min(1).max(100).describe('the event type the fact records, `<agency>.<EventName>`'),
  occurredAt: IsoTimeSchema.optional().describe('when it happened; defaults to when it is received'),
  caseId: UlidSchema.optional().describe('the case it belongs to; required unless the fact opens a case'),
  data: z.record(z.string(), z.unknown()),
});
export type Fact = z.infer<typeof FactSchema>;

export const FactResultSchema = z.object({
  id: z.string(),
  status: z.enum(['accepted', 'duplicate', 'rejected']),
  caseId: z.string().optional(),
  rule: z.string().optional(),
  detail: z.string().optional(),
  errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  events: z.array(z.object({ id: z.string(), type: z.string() })).optional(),
  allocated: AllocatedIdsSchema.optional(),
});

/** A fact's answer; narrower than its response schema, so a rejection always names its rule. */
export type FactResult =
  | { id: string; status: 'accepted' | 'duplicate'; caseId: string; events: { id: string; type: string }[]; allocated?: AllocatedIds }
  | { id: string; status: 'rejected'; rule: string; detail: string; errors?: FieldError[] };

/** Checks that a value is a fact, for transports that do not validate it themselves (Kafka). */
export function parseFact(value: unknown): ParsedFact {
  const parsed = FactSchema.safeParse(value);
  if (parsed.success) return { ok: true, fact: parsed.data };
  return { ok: false, errors: issuesOf(parsed.error).map((issue) => ({ field: issue.path || '(root)', message: issue.message })) };
}

export type FactIngestor = {
  ingest(fact: Fact, actor: string, traceparent: string | null): Promise<FactResult>;
};

export function createFactIngestor<C extends Command, S>(runtime: CaseRuntime<C, S>, facts: Readonly<Record<string, IngestibleFact>>): FactIngestor {
  const agency = runtime.agency;
  return {
    async ingest(fact, actor, traceparent) {
      const rejected = (rule: string, detail: string, errors?: FieldError[]): FactResult => ({ id: fact.id, status: 'rejected', rule, detail, ...(errors ? { errors } : {}) });
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
    },
  };
}
