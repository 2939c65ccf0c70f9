// GET /v1/audit/cases/{caseId}: a case's whole history across agencies in causal order, with the
// referral chain as a graph and a link to each event's inclusion proof; `asOf` and `asKnownBy`
// look back at what the backbone, or one agency, knew at a moment. GET …/bundle exports the case
// as signed JSON lines that verify offline (docs/case-bundle.md). Auditors only read; personal
// fields stay sealed. Each answer is one archive query (`caseEvents`) plus work in memory.
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { AgencySchema, UlidSchema } from '@nrm/contracts';
import { NotFoundError, requireRole } from '@nrm/service-kit';
import type { NrmApp } from '@nrm/service-kit';
import type { ArchiveStore } from '../archive/archive-store.ts';
import type { AuditSigner } from '../signing/audit-signer.ts';
import { CASE_BUNDLE_TYP, JWKS_URL, caseBundleContent } from './case-bundle.ts';
import { AUDITOR_ROLES } from './case-events-route.ts';
import { caseHistory, inclusionProofUrl } from './case-history.ts';

const HistoryEventSchema = z.object({
  id: z.string(),
  type: z.string(),
  agency: z.string(),
  actor: z.string(),
  stream: z.string(),
  revision: z.int(),
  occurredAt: z.string(),
  recordedAt: z.string().describe('when the recording agency stored it: what `asOf` compares'),
  causationId: z.string().nullable().describe('its cause; an edge of the graph when the cause is in the case'),
  hash: z.string(),
  data: z.record(z.string(), z.unknown()).describe('the payload; personal fields stay sealed envelopes'),
  sequence: z.int().describe("its place in the audit archive (and the Merkle log)"),
  inclusionProof: z.string().describe('where its inclusion proof in the audit log is served'),
});

const CaseGraphSchema = z.object({
  nodes: z.array(z.object({ id: z.string(), type: z.string(), agency: z.string(), recordedAt: z.string() })),
  edges: z.array(z.object({ from: z.string().describe('the cause'), to: z.string().describe('the effect') })),
});

const HistoryQuerySchema = z.strictObject({
  asOf: z.iso.datetime({ offset: true }).optional().describe('only what the backbone had recorded at or before this instant (ISO 8601; encode "+" as %2B)'),
  asKnownBy: AgencySchema.optional().describe("only what this agency had: its own events, and other agencies' events its own cite as their cause"),
});

const BundleSchema = z.object({
  caseId: z.string(),
  exportedAt: z.string(),
  content: z.string().describe('JSON lines: each archived canonical envelope of the case, in causal order, each line ending with a line feed'),
  signature: z.string().describe(`detached compact JWS (header..signature) over the content, typ ${CASE_BUNDLE_TYP}`),
  jwksUrl: z.string().describe("the audit service's public keys"),
  kid: z.string().describe('the signing key'),
});

/**
 * One part alone, byte for byte: a Buffer skips the serializer, which would otherwise turn text of a
 * `…json` media type into a JSON string. The route's response schema describes the JSON bundle only.
 */
function sendPart(reply: FastifyReply, type: string, text: string): FastifyReply {
  return reply.type(type).send(Buffer.from(text, 'utf8'));
}

const CaseParamsSchema = z.strictObject({ caseId: UlidSchema });

export function registerCaseHistoryRoutes(app: NrmApp, archive: ArchiveStore, signer: () => Promise<AuditSigner>): void {
  app.get(
    '/cases/:caseId',
    {
      schema: {
        summary: "A case's history across agencies in causal order, its referral chain as a graph, optionally as known at a moment or by one agency",
        tags: ['audit'],
        params: CaseParamsSchema,
        querystring: HistoryQuerySchema,
        response: { 200: z.object({ caseId: z.string(), asOf: z.string().optional(), asKnownBy: z.string().optional(), events: z.array(HistoryEventSchema), graph: CaseGraphSchema }) },
      },
      preHandler: [requireRole(...AUDITOR_ROLES)],
    },
    async (request) => {
      const { caseId } = request.params;
      const { asKnownBy } = request.query;
      const asOf = request.query.asOf === undefined ? undefined : new Date(request.query.asOf).toISOString();
      const archived = await archive.caseEvents(caseId);
      if (archived.length === 0) throw new NotFoundError(`no events for case ${caseId}`);
      const { events, graph } = caseHistory(archived, { ...(asOf ? { asOf: Date.parse(asOf) } : {}), ...(asKnownBy ? { asKnownBy } : {}) });
      if (events.length === 0) {
        const then = asOf ? ` recorded at or before ${asOf}` : '';
        throw new NotFoundError(asKnownBy ? `${asKnownBy} had none of the events of case ${caseId}${then}` : `case ${caseId} had no events${then}`);
      }
      return {
        caseId,
        ...(asOf ? { asOf } : {}),
        ...(asKnownBy ? { asKnownBy } : {}),
        events: events.map(({ sequence, event: { id, type, agency, actor, stream, revision, occurredAt, recordedAt, causationId, hash, data } }) => ({
          id,
          type,
          agency,
          actor,
          stream,
          revision,
          occurredAt,
          recordedAt,
          causationId,
          hash,
          data,
          sequence,
          inclusionProof: inclusionProofUrl(id),
        })),
        graph,
      };
    },
  );

  app.get(
    '/cases/:caseId/bundle',
    {
      schema: {
        summary: 'The case as a signed bundle (JSON lines + detached JWS) that verifies offline; ?part=content (application/x-ndjson) or ?part=signature (application/jose) for one part alone',
        tags: ['audit'],
        params: CaseParamsSchema,
        querystring: z.strictObject({ part: z.enum(['content', 'signature']).optional() }),
        response: { 200: BundleSchema },
      },
      preHandler: [requireRole(...AUDITOR_ROLES)],
    },
    async (request, reply) => {
      const { caseId } = request.params;
      const archived = await archive.caseEvents(caseId);
      if (archived.length === 0) throw new NotFoundError(`no events for case ${caseId}`);
      const content = caseBundleContent(caseHistory(archived).events);
      if (request.query.part === 'content') return sendPart(reply, 'application/x-ndjson; charset=utf-8', content);
      const { kid, signDetached } = await signer();
      const signature = await signDetached(content, CASE_BUNDLE_TYP);
      if (request.query.part === 'signature') return sendPart(reply, 'application/jose', signature);
      return { caseId, exportedAt: new Date().toISOString(), content, signature, jwksUrl: JWKS_URL, kid };
    },
  );
}
