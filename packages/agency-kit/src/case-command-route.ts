// One way to expose a case command over HTTP: a POST with a zod body and params, the caller's
// agency and roles checked, If-Match carried into the expected revision, and a uniform answer
// (the case id, its new revision as ETag, the events written, the ids the command allocated).
// Every agency route uses it.
import { z } from 'zod';
import { UlidSchema } from '@nrm/contracts';
import { etagOf, ifMatchRevision, requestCommandMetadata, requireAgency, requireRole } from '@nrm/service-kit';
import type { Command, NrmApp } from '@nrm/service-kit';
import type { FastifyRequest } from 'fastify';
import { idAllocator, idempotencyKeyOf, occurredAtOf } from './command-request.ts';
import type { CaseRuntime } from './case-runtime.ts';

export const WRITER_ROLES = ['clerk', 'supervisor', 'agency-admin'] as const;

/** Ids a command allocated, by what they are for: one id, or one per item given (persons, in order). */
export const AllocatedIdsSchema = z.record(z.string(), z.union([z.string(), z.array(z.string())]));
export type AllocatedIds = z.infer<typeof AllocatedIdsSchema>;

export const CommandResultSchema = z.object({
  caseId: UlidSchema,
  revision: z.int().min(-1).describe('the case stream revision after the command; -1 when the case has no events yet'),
  duplicate: z.boolean().describe('true when this exact command was already handled: nothing new was written'),
  events: z.array(z.object({ id: UlidSchema, type: z.string(), position: z.int() })),
  allocated: AllocatedIdsSchema.optional().describe('the ids the command allocated (a person, a rescue, a handover), which later commands name'),
});
export type CommandResult = z.infer<typeof CommandResultSchema>;

export const CaseParamsSchema = z.strictObject({ caseId: UlidSchema });

/** What a request becomes: the command, and the ids it allocated for the answer to name. */
export type CaseCommand = { type: string; data: unknown; allocated?: AllocatedIds };

export type CaseCommandSpec<Body extends z.ZodType, Params extends z.ZodObject> = {
  url: string;
  summary: string;
  body: Body;
  params?: Params;
  status?: 200 | 201;
  /**
   * Turns the validated request into the command (sealing personal fields). The context is the
   * params with the caseId (new or from the path), and `allocate`, which makes each new id.
   */
  command(body: z.infer<Body>, context: z.infer<Params> & { caseId: string; allocate(purpose: string): string }, request: FastifyRequest): CaseCommand | Promise<CaseCommand>;
  /** For commands that open a case: the case id is made here and returned, not taken from the path. */
  opensCase?: boolean;
  /** The ids the answer's `allocated` names: documented in OpenAPI, and the answer is held to them. */
  allocates?: z.ZodRawShape;
};

export function registerCaseCommand<C extends Command, S, Body extends z.ZodType, Params extends z.ZodObject = typeof CaseParamsSchema>(
  app: NrmApp,
  runtime: CaseRuntime<C, S>,
  spec: CaseCommandSpec<Body, Params>,
): void {
  const status = spec.status ?? 200;
  const schema: Record<string, unknown> = {
    summary: spec.summary,
    tags: [runtime.agency],
    body: spec.body,
    response: { [status]: spec.allocates ? CommandResultSchema.extend({ allocated: z.object(spec.allocates) }) : CommandResultSchema },
  };
  if (!spec.opensCase) schema.params = spec.params ?? CaseParamsSchema;
  app.post(spec.url, { schema, preHandler: [requireAgency(runtime.agency), requireRole(...WRITER_ROLES)] }, async (request, reply) => {
    const params = (request.params ?? {}) as z.infer<Params> & { caseId?: string };
    const key = idempotencyKeyOf(request);
    const allocate = idAllocator(key);
    const caseId = spec.opensCase ? allocate('case') : params.caseId!;
    const expected = ifMatchRevision(request);
    const occurredAt = occurredAtOf(request.body);
    const { type, data, allocated } = await spec.command(request.body as z.infer<Body>, { ...params, caseId, allocate }, request);
    const metadata = requestCommandMetadata(request, { agency: runtime.agency, caseId, ...(occurredAt ? { now: occurredAt } : {}) });
    if (key) metadata.commandId = key;
    // A replayed case opening finds its stream existing: it must be answered as a replay, not refused.
    const expectedRevision = spec.opensCase && !key ? (expected ?? 'no_stream') : expected;
    const result = await runtime.execute(caseId, type, data, metadata, expectedRevision, { replayable: key !== undefined });
    const revision = result.nextRevision === 'no_stream' ? -1 : result.nextRevision;
    if (revision >= 0) reply.header('etag', etagOf(revision));
    if (spec.opensCase) reply.header('location', `${request.url.replace(/\/[^/]*$/, '')}/cases/${caseId}`);
    reply.code(status);
    const events = result.events.map((event) => ({ id: event.id, type: event.type, position: event.position }));
    return { caseId, revision, duplicate: result.duplicate, events, ...(allocated ? { allocated } : {}) };
  });
}
