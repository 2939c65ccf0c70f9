// A case command whose answer also names the ids the service allocated for it (a rescue, a
// handover, the persons recovered or returned), which the caller needs for the next command.
// agency-kit's registerCaseCommand answers with a fixed shape, so this is the same path (agency
// and role checked, Idempotency-Key, If-Match, occurredAt, ETag, a new case's Location) plus the ids.
import type { z } from 'zod';
import { deriveId, newId } from '@nrm/contracts';
import { CaseParamsSchema, CommandResultSchema, WRITER_ROLES, idempotencyKeyOf, occurredAtOf } from '@nrm/agency-kit';
import type { CaseRuntime } from '@nrm/agency-kit';
import { etagOf, ifMatchRevision, requestCommandMetadata, requireAgency, requireRole } from '@nrm/service-kit';
import type { Command, NrmApp } from '@nrm/service-kit';

export type AllocatingCommandSpec<Body extends z.ZodType, Allocated extends z.ZodRawShape> = {
  url: string;
  summary: string;
  body: Body;
  /** The ids the answer names, besides the case id. */
  allocated: Allocated;
  /** For commands that open a case: the case id is made here, not taken from the path. */
  opensCase?: boolean;
  /** `allocate` makes each new id: derived from the Idempotency-Key when given, so a replay names the ids first written. */
  command(body: z.infer<Body>, context: { caseId: string; allocate(purpose: string): string }): Promise<{ type: string; data: unknown; allocated: z.infer<z.ZodObject<Allocated>> }>;
};

export function registerAllocatingCommand<C extends Command, S, Body extends z.ZodType, Allocated extends z.ZodRawShape>(app: NrmApp, runtime: CaseRuntime<C, S>, spec: AllocatingCommandSpec<Body, Allocated>): void {
  // Typed loosely like registerCaseCommand's: the reply is checked by the response schema at run time.
  const schema: Record<string, unknown> = {
    summary: spec.summary,
    tags: [runtime.agency],
    body: spec.body,
    response: { 201: CommandResultSchema.extend(spec.allocated) },
  };
  if (!spec.opensCase) schema.params = CaseParamsSchema;
  app.post(spec.url, { schema, preHandler: [requireAgency(runtime.agency), requireRole(...WRITER_ROLES)] }, async (request, reply) => {
    const key = idempotencyKeyOf(request);
    const allocate = (purpose: string) => (key ? deriveId(key, purpose) : newId());
    const caseId = spec.opensCase ? allocate('case') : (request.params as { caseId: string }).caseId;
    const expected = ifMatchRevision(request);
    const occurredAt = occurredAtOf(request.body);
    const { type, data, allocated } = await spec.command(request.body as z.infer<Body>, { caseId, allocate });
    const metadata = requestCommandMetadata(request, { agency: runtime.agency, caseId, ...(occurredAt ? { now: occurredAt } : {}) });
    if (key) metadata.commandId = key;
    // A replayed case opening finds its stream existing: it must be answered as a replay, not refused.
    const expectedRevision = spec.opensCase && !key ? (expected ?? 'no_stream') : expected;
    const result = await runtime.execute(caseId, type, data, metadata, expectedRevision, { replayable: key !== undefined });
    const revision = result.nextRevision === 'no_stream' ? -1 : result.nextRevision;
    if (revision >= 0) reply.header('etag', etagOf(revision));
    if (spec.opensCase) reply.header('location', `${request.url.replace(/\/[^/]*$/, '')}/cases/${caseId}`);
    reply.code(201);
    return { caseId, revision, duplicate: result.duplicate, events: result.events.map((event) => ({ id: event.id, type: event.type, position: event.position })), ...allocated };
  });
}
