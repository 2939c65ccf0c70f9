// Cross-border witnesses: a desk countersigns a signed tree head of the audit log. The backbone
// keeps every cosignature as an event (TreeHeadCosigned, in the desk's cosignature stream) and
// serves them to anyone: once another country holds a signed root at some size, history up to
// that size cannot be rewritten without the root changing under its signature.
//
// The desk signs (typ nrm-tree-head-cosignature+jws) the signed tree head exactly as the audit
// service published it: {treeSize, rootHash, timestamp, logId, signature}. Both signatures are
// checked before anything is recorded.
import { compactVerify, createLocalJWKSet } from 'jose';
import { z } from 'zod';
import { canonicalize, deriveId, sha256Hex } from '@nrm/contracts';
import type { EventRegistry, TreeHeadCosigned } from '@nrm/contracts';
import type { EventStore } from '@nrm/eventstore';
import { NotFoundError, NotReadyError, envelopeEvents, principalOf } from '@nrm/service-kit';
import type { NrmApp } from '@nrm/service-kit';
import type { JSONWebKeySet } from 'jose';
import { AcknowledgementRefusedError, verifyDeskSignature } from '../acks/desk-acknowledgement.ts';
import type { DeskDirectory } from '../desks/desk.ts';
import { isDesk } from '../feed/feed-routes.ts';

/** The 10-character time part of a ULID (Crockford base32, milliseconds): pure, unlike a monotonic ULID factory. */
function ulidTime(ms: number): string {
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  let out = '';
  let rest = Math.max(0, Math.floor(ms));
  for (let i = 0; i < 10; i++) {
    out = alphabet[rest % 32]! + out;
    rest = Math.floor(rest / 32);
  }
  return out;
}

export const COSIGNATURE_TYPE = 'nrm-tree-head-cosignature+jws';
export const COSIGNATURE_STREAM_PREFIX = 'liaison-cosignatures-';

const SignedTreeHeadSchema = z.strictObject({
  treeSize: z.int().min(1),
  rootHash: z.string().regex(/^[A-Za-z0-9+/]{43}=$/),
  timestamp: z.string(),
  logId: z.string().min(1),
  signature: z.string().min(20),
});

export function registerCosignatureRoutes(app: NrmApp, dependencies: { store: EventStore; registry: EventRegistry; directory: DeskDirectory; auditKeys: () => Promise<JSONWebKeySet | undefined> }): void {
  const { store, registry, directory, auditKeys } = dependencies;

  app.post(
    '/desks/:deskId/cosignatures',
    {
      schema: {
        summary: "The desk countersigns a signed tree head of the audit log (compact JWS over the head as published)",
        tags: ['liaison'],
        params: z.object({ deskId: z.string() }),
        body: z.strictObject({ jws: z.string().min(20).max(8000) }),
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const { deskId } = request.params;
      if (!isDesk(principal, deskId)) throw new NotFoundError(`no desk ${deskId} for this token`);
      const desk = await directory.get(deskId);
      if (!desk) throw new NotFoundError(`no desk ${deskId}`);
      const { jws } = request.body;
      const { payload, kid } = await verifyDeskSignature(jws, desk.keys.keys, 'cosignature', COSIGNATURE_TYPE);
      const head = SignedTreeHeadSchema.safeParse(payload);
      if (!head.success) throw new AcknowledgementRefusedError('cosignature-payload-invalid', 'the cosigned payload must be a signed tree head as /v1/audit/log/tree-head publishes it');
      const keys = await auditKeys();
      if (!keys) throw new NotReadyError(['the audit service’s public keys (set NRM_AUDIT_JWKS_URL)']);
      try {
        const verified = await compactVerify(head.data.signature, createLocalJWKSet(keys));
        const { signature: _signature, ...fields } = head.data;
        if (new TextDecoder().decode(verified.payload) !== canonicalize(fields)) throw new Error('payload differs');
      } catch {
        throw new AcknowledgementRefusedError('tree-head-signature-invalid', 'the cosigned tree head is not one the audit log signed');
      }
      const data: TreeHeadCosigned = { deskId, treeSize: head.data.treeSize, rootHash: head.data.rootHash, kid, jws };
      // The id derives from the head's time and the cosignature itself: posting it again records nothing.
      const source = `${ulidTime(Date.parse(head.data.timestamp))}${'0'.repeat(16)}`;
      const metadata = { commandId: deriveId(source, `cosignature:${sha256Hex(jws)}`), now: new Date().toISOString(), actor: principal.subject, agency: 'liaison' as const, caseId: null, causationId: null, traceparent: null };
      const result = await store.append(`${COSIGNATURE_STREAM_PREFIX}${deskId}`, envelopeEvents([{ type: 'liaison.TreeHeadCosigned', data }], metadata, registry));
      reply.code(result.duplicate ? 200 : 201);
      return { eventId: result.events[0]!.id, duplicate: result.duplicate, cosignature: { deskId, treeSize: data.treeSize, rootHash: data.rootHash, kid } };
    },
  );

  app.get(
    '/cosignatures',
    {
      config: { public: true },
      schema: {
        summary: "Every desk's cosignatures of the audit log's tree heads (optionally at one tree size): check them against the desks' published keys",
        tags: ['liaison'],
        querystring: z.strictObject({ treeSize: z.coerce.number().int().min(1).optional() }),
      },
    },
    async (request) => {
      const cosignatures: (TreeHeadCosigned & { recordedAt: string })[] = [];
      for (const desk of await directory.list()) {
        for (const event of await store.readStream(`${COSIGNATURE_STREAM_PREFIX}${desk.deskId}`)) {
          const data = event.data as TreeHeadCosigned;
          if (request.query.treeSize === undefined || data.treeSize === request.query.treeSize) cosignatures.push({ ...data, recordedAt: event.recordedAt });
        }
      }
      return { cosignatures: cosignatures.sort((a, b) => a.treeSize - b.treeSize || a.deskId.localeCompare(b.deskId)) };
    },
  );
}
