// The desk's answers and the receipt. A desk posts its signed acknowledgement of a packet; once
// its signature, key, packet digest and content check out it becomes a HandoverAcknowledged
// event in the handover's stream (so in the case history, under the audit log). The receipt
// gathers the packet, every acknowledgement of it, and the public keys of both sides: all a
// court on either side of the border needs to check them offline.
import { z } from 'zod';
import { UlidSchema, deriveId, sha256Hex } from '@nrm/contracts';
import type { DeskPublicJwk, EventRegistry, HandoverAcknowledged } from '@nrm/contracts';
import type { EventStore } from '@nrm/eventstore';
import { NotFoundError, envelopeEvents, principalOf } from '@nrm/service-kit';
import type { NrmApp, Principal, ServiceSigner } from '@nrm/service-kit';
import { deskStream } from '../desks/desk.ts';
import type { DeskDirectory } from '../desks/desk.ts';
import { isDesk } from '../feed/feed-routes.ts';
import type { LiaisonBook, StoredPacket } from '../packets/liaison-book.ts';
import { handoverStream, issuedEventId } from '../packets/packet-issuer.ts';
import { AcknowledgementRefusedError, verifyAcknowledgement } from './desk-acknowledgement.ts';

const RECEIPT_READERS = ['standing-office-admin', 'auditor'];

export type AcknowledgementRouteDependencies = { store: EventStore; registry: EventRegistry; directory: DeskDirectory; book: LiaisonBook; signer: ServiceSigner };

function packetPersons(packet: StoredPacket): string[] {
  const payload = JSON.parse(Buffer.from(packet.jws.split('.')[1]!, 'base64url').toString('utf8')) as { persons: { personId: string }[] };
  return payload.persons.map((person) => person.personId);
}

/** Every key the desk ever registered, by kid: an old acknowledgement stays checkable after a rotation. */
async function deskKeyHistory(store: EventStore, deskId: string): Promise<DeskPublicJwk[]> {
  const byKid = new Map<string, DeskPublicJwk>();
  for (const event of await store.readStream(deskStream(deskId))) {
    const keys = (event.data as { keys?: { keys: DeskPublicJwk[] } }).keys;
    for (const key of keys?.keys ?? []) byKid.set(key.kid, key);
  }
  return [...byKid.values()];
}

export function registerAcknowledgementRoutes(app: NrmApp, dependencies: AcknowledgementRouteDependencies): void {
  const { store, registry, directory, book, signer } = dependencies;

  app.post(
    '/desks/:deskId/acknowledgements',
    {
      schema: {
        summary: 'The desk acknowledges a packet: a compact JWS signed with one of its registered signing keys',
        tags: ['liaison'],
        params: z.object({ deskId: z.string() }),
        body: z.strictObject({ jws: z.string().min(20).max(8000).describe('compact JWS (typ nrm-handover-ack+jws) over {packetId, packetSha256, kind, personId?, reason?, acknowledgedAt}') }),
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const { deskId } = request.params;
      if (!isDesk(principal, deskId)) throw new NotFoundError(`no desk ${deskId} for this token`);
      const desk = await directory.get(deskId);
      if (!desk) throw new NotFoundError(`no desk ${deskId}`);
      const { jws } = request.body;
      const { payload, kid } = await verifyAcknowledgement(jws, desk.keys.keys);
      const packet = await book.packet(payload.packetId);
      if (!packet || packet.deskId !== deskId) throw new NotFoundError(`no packet ${payload.packetId} for desk ${deskId}`);
      if (payload.packetSha256 !== sha256Hex(packet.jws)) {
        throw new AcknowledgementRefusedError('ack-packet-mismatch', `packetSha256 is not the digest of packet ${packet.packetId} as sent: the desk acknowledges other bytes than it was sent`);
      }
      if ((payload.kind === 'person-received') !== (payload.personId !== undefined)) throw new AcknowledgementRefusedError('ack-person', 'personId is given exactly when kind is person-received');
      if (payload.personId !== undefined && !packetPersons(packet).includes(payload.personId)) throw new AcknowledgementRefusedError('ack-person-not-in-packet', `person ${payload.personId} is not in packet ${packet.packetId}`);
      if (payload.kind === 'discrepancy' && payload.reason === undefined) throw new AcknowledgementRefusedError('ack-reason-required', 'a discrepancy must say what differs (reason)');

      const data: HandoverAcknowledged = {
        packetId: packet.packetId,
        deskId,
        handoverId: packet.handoverId,
        kind: payload.kind,
        ...(payload.personId ? { personId: payload.personId } : {}),
        ...(payload.reason ? { reason: payload.reason } : {}),
        acknowledgedAt: payload.acknowledgedAt,
        kid,
        jws,
      };
      const metadata = {
        commandId: deriveId(packet.packetId, `ack:${sha256Hex(jws)}`),
        now: new Date().toISOString(),
        actor: principal.subject,
        agency: 'liaison' as const,
        caseId: packet.caseId,
        causationId: issuedEventId(packet.packetId),
        traceparent: null,
      };
      const result = await store.append(handoverStream(packet.handoverId), envelopeEvents([{ type: 'liaison.HandoverAcknowledged', data }], metadata, registry));
      reply.code(result.duplicate ? 200 : 201);
      return { eventId: result.events[0]!.id, duplicate: result.duplicate, acknowledgement: data, receipt: `/v1/liaison/packets/${packet.packetId}/receipt` };
    },
  );

  app.get(
    '/packets/:packetId/receipt',
    {
      schema: {
        summary: 'The receipt of a packet: the packet, every acknowledgement of it, and the public keys of both sides, to verify offline',
        tags: ['liaison'],
        params: z.object({ packetId: UlidSchema }),
      },
    },
    async (request) => {
      const principal: Principal = principalOf(request);
      const packet = await book.packet(request.params.packetId);
      const allowed = packet && (isDesk(principal, packet.deskId) || RECEIPT_READERS.some((role) => principal.roles.includes(role)));
      if (!packet || !allowed) throw new NotFoundError(`no packet ${request.params.packetId} for this token`);
      const acknowledgements = (await store.readStream(handoverStream(packet.handoverId)))
        .filter((event) => event.type === 'liaison.HandoverAcknowledged' && (event.data as HandoverAcknowledged).packetId === packet.packetId)
        .map((event) => (event.data as HandoverAcknowledged).jws);
      return {
        packetId: packet.packetId,
        deskId: packet.deskId,
        packet: packet.jws,
        packetSha256: sha256Hex(packet.jws),
        acknowledgements,
        backboneKeys: signer.jwks,
        deskKeys: { keys: await deskKeyHistory(store, packet.deskId) },
      };
    },
  );
}
