// A desk's feed: its packets in the order they were issued, as JSON pages (`?after=<seq>`) and as
// Server-Sent Events whose ids are the same sequence numbers, so a desk that reconnects with
// `Last-Event-ID` resumes exactly after the last packet it received — nothing missed, nothing
// twice. Only the desk itself reads its feed; anyone else is told it does not exist (404), so a
// token of one desk learns nothing of another's packets, not even whether there are any.
import { EventEmitter } from 'node:events';
import { z } from 'zod';
import { DeskIdSchema } from '@nrm/contracts';
import { issuedEventId } from '../packets/packet-issuer.ts';
import { NotFoundError, principalOf } from '@nrm/service-kit';
import type { NrmApp, Principal, ServiceSigner } from '@nrm/service-kit';
import type { LiaisonBook, StoredPacket } from '../packets/liaison-book.ts';

export const FEED_PAGE_MAX = 200;
const SSE_POLL_MS = 1_000;
const SSE_HEARTBEAT_MS = 15_000;

/** Tells open streams that a desk has a new packet, so they do not wait for the next poll. */
export type FeedSignal = { notify(deskId: string): void; wait(deskId: string, ms: number, signal: AbortSignal): Promise<void> };

/** The channel `wait` listens on for a packet to any desk (the Kafka relay). */
export const ANY_DESK = '*';

export function createFeedSignal(): FeedSignal {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  return {
    notify: (deskId) => {
      emitter.emit(deskId);
      emitter.emit(ANY_DESK);
    },
    wait: (deskId, ms, signal) =>
      new Promise((resolve) => {
        const done = () => {
          clearTimeout(timer);
          emitter.off(deskId, done);
          signal.removeEventListener('abort', done);
          resolve();
        };
        const timer = setTimeout(done, ms);
        emitter.once(deskId, done);
        signal.addEventListener('abort', done, { once: true });
      }),
  };
}

/** The desk itself: a `desk` token whose subject is the desk id. */
export function isDesk(principal: Principal, deskId: string): boolean {
  return principal.roles.includes('desk') && principal.subject === deskId;
}

const FeedItemSchema = z.object({
  seq: z.int().describe('its place in this desk’s feed; the `after` of the next page and the SSE event id'),
  packetId: z.string(),
  handoverId: z.string(),
  stage: z.string(),
  issuedAt: z.string(),
  acknowledgeBy: z.string(),
  packet: z.string().describe('the packet: a compact JWS (typ nrm-handover-packet+jws) signed with a key of /v1/liaison/.well-known/jwks.json'),
  logEventId: z.string().describe("the HandoverPacketIssued event that records the packet's digest in the audit log"),
  inclusionProof: z.string().describe("where the audit log proves that event is in its signed tree (the desk's token may ask for it once the audit service has archived it)"),
});

export function feedItem(packet: StoredPacket): z.infer<typeof FeedItemSchema> {
  const logEventId = issuedEventId(packet.packetId);
  return {
    seq: packet.seq,
    packetId: packet.packetId,
    handoverId: packet.handoverId,
    stage: packet.stage,
    issuedAt: packet.issuedAt,
    acknowledgeBy: packet.acknowledgeBy,
    packet: packet.jws,
    logEventId,
    inclusionProof: `/v1/audit/log/proofs/inclusion?eventId=${logEventId}`,
  };
}

const DeskParams = z.object({ deskId: DeskIdSchema });

export function registerFeedRoutes(app: NrmApp, dependencies: { book: LiaisonBook; signer: ServiceSigner; signal: FeedSignal }): void {
  const { book, signer, signal } = dependencies;
  const streams = new Set<AbortController>();
  app.addHook('onClose', async () => {
    for (const stream of streams) stream.abort();
  });

  const deskOnly = (principal: Principal, deskId: string) => {
    if (!isDesk(principal, deskId)) throw new NotFoundError(`no feed ${deskId} for this token`);
  };

  app.get(
    '/.well-known/jwks.json',
    {
      config: { public: true },
      schema: {
        summary: "The backbone's public keys for handover packets: a desk verifies every packet with them",
        tags: ['liaison'],
        response: { 200: z.object({ keys: z.array(z.record(z.string(), z.unknown())) }) },
      },
    },
    async (_request, reply) => {
      reply.header('cache-control', 'public, max-age=300');
      return signer.jwks as { keys: Record<string, unknown>[] };
    },
  );

  app.get(
    '/desks/:deskId/feed',
    {
      schema: {
        summary: "A page of the desk's packets, oldest first, after the `after` sequence number (0 or absent: from the first)",
        tags: ['liaison'],
        params: DeskParams,
        querystring: z.strictObject({
          after: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
          limit: z.coerce.number().int().min(1).max(FEED_PAGE_MAX).default(50),
        }),
        response: { 200: z.object({ items: z.array(FeedItemSchema), next: z.int().nullable().describe('pass as `after` for the next page; null once the feed is read to its end') }) },
      },
    },
    async (request) => {
      deskOnly(principalOf(request), request.params.deskId);
      const page = await book.feed(request.params.deskId, request.query.after, request.query.limit);
      const last = page.items.at(-1);
      return { items: page.items.map(feedItem), next: page.more && last ? last.seq : null };
    },
  );

  app.get(
    '/desks/:deskId/feed/stream',
    {
      schema: {
        summary: "The desk's packets as Server-Sent Events (event `packet`, id = seq); reconnect with Last-Event-ID to resume",
        tags: ['liaison'],
        params: DeskParams,
        querystring: z.strictObject({ after: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional() }),
        headers: z.object({ 'last-event-id': z.string().regex(/^\d{1,15}$/, 'must be the seq of the last packet received').optional() }).passthrough(),
      },
    },
    async (request, reply) => {
      const { deskId } = request.params;
      deskOnly(principalOf(request), deskId);
      let after = Number(request.headers['last-event-id'] ?? request.query.after ?? 0);
      const stop = new AbortController();
      streams.add(stop);
      request.raw.on('close', () => stop.abort());
      reply.hijack();
      reply.raw.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
      reply.raw.write(`retry: 2000\n\n`);
      let lastWrite = Date.now();
      try {
        while (!stop.signal.aborted) {
          const page = await book.feed(deskId, after, FEED_PAGE_MAX);
          for (const packet of page.items) {
            reply.raw.write(`id: ${packet.seq}\nevent: packet\ndata: ${JSON.stringify(feedItem(packet))}\n\n`);
            after = packet.seq;
            lastWrite = Date.now();
          }
          if (page.more) continue;
          if (Date.now() - lastWrite >= SSE_HEARTBEAT_MS) {
            reply.raw.write(': keep-alive\n\n');
            lastWrite = Date.now();
          }
          await signal.wait(deskId, SSE_POLL_MS, stop.signal);
        }
      } finally {
        streams.delete(stop);
        reply.raw.end();
      }
    },
  );
}
