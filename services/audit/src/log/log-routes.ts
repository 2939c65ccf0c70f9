// The verifiable log over HTTP: the signing key set (public), signed tree heads (public), and
// inclusion and consistency proofs (auditors). Every answer first catches the tree up with the
// archive, so it covers every event archived before the request. Hashes travel as base64.
import { z } from 'zod';
import { UlidSchema } from '@nrm/contracts';
import { ForbiddenError, NotFoundError, ProblemError, principalOf, requireRole } from '@nrm/service-kit';
import type { NrmApp } from '@nrm/service-kit';
import type { ArchiveStore } from '../archive/archive-store.ts';
import { AUDITOR_ROLES } from '../case-history/case-events-route.ts';
import { createArchiveTree } from '../merkle/archive-tree.ts';
import type { AuditSigner } from '../signing/audit-signer.ts';
import { signTreeHead } from './tree-head.ts';

/** A tree size or leaf the log does not have (yet), or that does not cover the leaf asked about. */
export class LogRangeError extends ProblemError {
  override readonly name = 'LogRangeError';
  readonly status = 422;
  readonly slug = 'log-range';
  readonly title = 'The log does not cover this range';
}

const TreeSize = z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER);
const Base64Hash = z.string().describe('a SHA-256 hash, base64');

const SignedTreeHeadSchema = z.object({
  treeSize: z.int().describe('how many leaves (archived events) the head covers'),
  rootHash: Base64Hash.describe('the RFC 9162 root hash of the first treeSize leaves, base64'),
  timestamp: z.string().describe('when the head was signed'),
  logId: z.string().describe("the signing key's kid in /v1/audit/.well-known/jwks.json"),
  signature: z.string().describe('compact JWS (typ nrm-tree-head+jws) over the canonical JSON of the four fields above'),
});

/** A liaison event about one of this desk's packets (issued, acknowledged, overdue). */
function recordedForDesk(envelope: string, deskId: string): boolean {
  const event = JSON.parse(envelope) as { agency?: string; type?: string; data?: { deskId?: unknown; packetId?: unknown } };
  return event.agency === 'liaison' && typeof event.data?.packetId === 'string' && event.data.deskId === deskId;
}

function assertWithin(treeSize: number, logSize: number): void {
  if (treeSize > logSize) throw new LogRangeError(`tree size ${treeSize} is beyond the log, which holds ${logSize} leaves`);
}

export function registerLogRoutes(app: NrmApp, archive: ArchiveStore, signer: AuditSigner): void {
  const tree = createArchiveTree(archive);

  app.get(
    '/.well-known/jwks.json',
    {
      config: { public: true },
      schema: {
        summary: "The audit service's public signing keys: check tree heads and case bundles offline",
        tags: ['audit'],
        response: { 200: z.object({ keys: z.array(z.record(z.string(), z.unknown())) }) },
      },
    },
    async (_request, reply) => {
      reply.header('cache-control', 'public, max-age=300');
      return signer.jwks as { keys: Record<string, unknown>[] };
    },
  );

  app.get(
    '/log/tree-head',
    {
      config: { public: true },
      schema: {
        summary: 'The signed head of the verifiable log: now, or at an earlier size',
        tags: ['audit'],
        querystring: z.strictObject({ treeSize: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional() }),
        response: { 200: SignedTreeHeadSchema },
      },
    },
    async (request, reply) => {
      const log = await tree.current();
      const treeSize = request.query.treeSize ?? log.size;
      assertWithin(treeSize, log.size);
      reply.header('cache-control', 'no-store');
      return signTreeHead(log, signer, treeSize);
    },
  );

  app.get(
    '/log/proofs/inclusion',
    {
      schema: {
        summary: "Proof that an archived event is a leaf of the log's tree of a given size (auditors; a desk, for the events about its own packets)",
        tags: ['audit'],
        querystring: z.strictObject({ eventId: UlidSchema, treeSize: TreeSize.optional().describe('the tree head to prove against; the current one if absent') }),
        response: {
          200: z.object({
            eventId: z.string(),
            leafIndex: z.int().describe("the event's archive sequence"),
            treeSize: z.int(),
            leafHash: Base64Hash.describe('SHA-256(0x00 ‖ envelope), base64'),
            auditPath: z.array(Base64Hash),
            envelope: z.string().describe("the event's canonical (RFC 8785) recorded envelope, as archived: what the leaf hashes"),
          }),
        },
      },
    },
    async (request) => {
      const { eventId } = request.query;
      const principal = principalOf(request);
      const auditor = AUDITOR_ROLES.some((role) => principal.roles.includes(role));
      if (!auditor && !principal.roles.includes('desk')) throw new ForbiddenError(`requires one of the roles: ${[...AUDITOR_ROLES, 'desk'].join(', ')}`);
      const found = await tree.findEvent(eventId);
      // A foreign desk may prove only what the backbone recorded about its own packets; for any
      // other event it is told nothing, not even that the event exists.
      if (!found || (!auditor && !recordedForDesk(found.envelope, principal.subject))) throw new NotFoundError(`event ${eventId} is not in the audit archive`);
      const log = await tree.current();
      const treeSize = request.query.treeSize ?? log.size;
      assertWithin(treeSize, log.size);
      if (found.leafIndex >= treeSize) throw new LogRangeError(`event ${eventId} is leaf ${found.leafIndex}, after the tree of ${treeSize} leaves`);
      return {
        eventId,
        leafIndex: found.leafIndex,
        treeSize,
        leafHash: log.leaf(found.leafIndex).toString('base64'),
        auditPath: log.inclusionProof(found.leafIndex, treeSize).map((hash) => hash.toString('base64')),
        envelope: found.envelope,
      };
    },
  );

  app.get(
    '/log/proofs/consistency',
    {
      schema: {
        summary: 'Proof that the tree of `first` leaves is a prefix of the tree of `second` leaves',
        tags: ['audit'],
        querystring: z.strictObject({ first: TreeSize, second: TreeSize.optional().describe('the current tree size if absent') }),
        response: { 200: z.object({ first: z.int(), second: z.int(), proof: z.array(Base64Hash) }) },
      },
      preHandler: [requireRole(...AUDITOR_ROLES)],
    },
    async (request) => {
      const log = await tree.current();
      const { first, second = log.size } = request.query;
      assertWithin(second, log.size);
      if (first > second) throw new LogRangeError(`the first tree (${first}) must not be larger than the second (${second})`);
      return { first, second, proof: log.consistencyProof(first, second).map((hash) => hash.toString('base64')) };
    },
  );
}
