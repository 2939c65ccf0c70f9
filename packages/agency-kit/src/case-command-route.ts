// One way to expose a case command over HTTP: a POST with a zod body and params, the caller's
// agency and roles checked, If-Match carried into the expected revision, and a uniform answer
// (the case id, its new revision as ETag, the events written). Every agency route uses it.
import { z } from 'zod';
import { UlidSchema, deriveId, newId } from '@nrm/contracts';
import { DomainRuleError, ValidationError, etagOf, ifMatchRevision, requestCommandMetadata, requireAgency, requireRole } from '@nrm/service-kit';
import type { Command, NrmApp } from '@nrm/service-kit';
import type { FastifyRequest } from 'fastify';
import type { CaseRuntime } from './case-runtime.ts';

export const WRITER_ROLES = ['clerk', 'supervisor', 'agency-admin'] as const;

export const CommandResultSchema = z.object({
  caseId: UlidSchema,
  revision: z.int().min(-1).describe('the case stream revision after the command; -1 when the case has no events yet'),
  duplicate: z.boolean().describe('true when this exact command was already handled: nothing new was written'),
  events: z.array(z.object({ id: UlidSchema, type: z.string(), position: z.int() })),
});
export type CommandResult = z.infer<typeof CommandResultSchema>;

export const CaseParamsSchema = z.strictObject({ caseId: UlidSchema });

/** How far ahead of the server's clock a reported time may be before it is refused. */
export const CLOCK_SKEW_MS = 5 * 60_000;

/**
 * The client's Idempotency-Key (a ULID), if any: the command takes it as its id, so sending the
 * same request again — after a timeout or a crash — returns the first result and writes nothing.
 */
export function idempotencyKeyOf(request: FastifyRequest): string | undefined {
  const header = request.headers['idempotency-key'];
  if (header === undefined) return undefined;
  if (typeof header !== 'string' || !UlidSchema.safeParse(header).success) {
    throw new ValidationError('Idempotency-Key must be a ULID', [{ field: 'headers.idempotency-key', message: 'must be a ULID (26 Crockford base32 characters)' }]);
  }
  return header;
}

/** The `occurredAt` a body reports, if any; a time in the future is refused, not recorded. */
export function occurredAtOf(body: unknown): Date | undefined {
  const text = (body as { occurredAt?: unknown } | undefined)?.occurredAt;
  if (typeof text !== 'string') return undefined;
  const at = new Date(text);
  if (at.getTime() > Date.now() + CLOCK_SKEW_MS) throw new DomainRuleError('occurred-in-future', `occurredAt ${text} is in the future`);
  return at;
}

export type CaseCommandSpec<Body extends z.ZodType, Params extends z.ZodObject> = {
  url: string;
  summary: string;
  body: Body;
  params?: Params;
  status?: 200 | 201;
  /** Turns the validated request into the command (sealing personal fields); params include the caseId, new or from the path. */
  command(body: z.infer<Body>, params: z.infer<Params> & { caseId: string }, request: FastifyRequest): { type: string; data: unknown } | Promise<{ type: string; data: unknown }>;
  /** For commands that open a case: the case id is made here and returned, not taken from the path. */
  opensCase?: boolean;
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
    response: { [status]: CommandResultSchema },
  };
  if (!spec.opensCase) schema.params = spec.params ?? CaseParamsSchema;
  app.post(spec.url, { schema, preHandler: [requireAgency(runtime.agency), requireRole(...WRITER_ROLES)] }, async (request, reply) => {
    const params = (request.params ?? {}) as z.infer<Params> & { caseId?: string };
    const key = idempotencyKeyOf(request);
    const caseId = spec.opensCase ? (key ? deriveId(key, 'case') : newId()) : params.caseId!;
    const expected = ifMatchRevision(request);
    const occurredAt = occurredAtOf(request.body);
    const { type, data } = await spec.command(request.body as z.infer<Body>, { ...params, caseId }, request);
    const metadata = requestCommandMetadata(request, { agency: runtime.agency, caseId, ...(occurredAt ? { now: occurredAt } : {}) });
    if (key) metadata.commandId = key;
    // A replayed case opening finds its stream existing: it must be answered as a replay, not refused.
    const expectedRevision = spec.opensCase && !key ? (expected ?? 'no_stream') : expected;
    const result = await runtime.execute(caseId, type, data, metadata, expectedRevision, { replayable: key !== undefined });
    const revision = result.nextRevision === 'no_stream' ? -1 : result.nextRevision;
    if (revision >= 0) reply.header('etag', etagOf(revision));
    if (spec.opensCase) reply.header('location', `${request.url.replace(/\/[^/]*$/, '')}/cases/${caseId}`);
    reply.code(status);
    return { caseId, revision, duplicate: result.duplicate, events: result.events.map((event) => ({ id: event.id, type: event.type, position: event.position })) };
  });
}
