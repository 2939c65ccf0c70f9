// Cross-border liaison: handover feeds for foreign desks and their acknowledgements.
// Owns the `liaison-*` streams: the desk registry (`liaison-desk-<deskId>`) and, per outgoing
// handover, what was sent to which desk and what the desk answered (`liaison-handover-<id>`).
// Reacts to other agencies' events (rescue's handovers, protection's consents, every sealed
// person field), never calls them.
import type { Bus, Consumer } from '@nrm/bus';
import type { RecordedEvent } from '@nrm/contracts';
import type { Vault } from '@nrm/vault';
import type { BackboneService, ServiceDependencies, ServiceSigner, ServiceStorage } from '@nrm/service-kit';
import { registerAcknowledgementRoutes } from './acks/acknowledgement-routes.ts';
import { registerOverdueRoute } from './acks/overdue-route.ts';
import { startOverdueWatch } from './acks/overdue-watch.ts';
import type { OverdueWatch } from './acks/overdue-watch.ts';
import { createDeskDirectory, registerDeskRoutes } from './desks/index.ts';
import { createFeedSignal, registerFeedRoutes } from './feed/feed-routes.ts';
import { startHandoverRelay } from './feed/handover-relay.ts';
import { auditKeySource } from './witness/audit-keys.ts';
import { registerCosignatureRoutes } from './witness/cosignature-routes.ts';
import type { Kafka } from 'kafkajs';
import type { FeedSignal } from './feed/feed-routes.ts';
import { createLiaisonBook } from './packets/liaison-book.ts';
import type { LiaisonBook } from './packets/liaison-book.ts';
import { loadLiaisonSigner } from './packets/liaison-signer.ts';
import { createPacketIssuer } from './packets/packet-issuer.ts';
import type { PacketIssuerDependencies } from './packets/packet-issuer.ts';

export { LIAISON_SIGNING_KEY_ENV, loadLiaisonSigner } from './packets/liaison-signer.ts';
export { HandoverPacketSchema, PacketPersonSchema } from './packets/packet.ts';
export type { HandoverPacket, PacketPerson } from './packets/packet.ts';
export { PACKET_TYPE, PERSON_DATA_TYPE } from './packets/packet-crypto.ts';
export { ACK_TYPE, AcknowledgementPayloadSchema } from './acks/desk-acknowledgement.ts';
export type { AcknowledgementPayload } from './acks/desk-acknowledgement.ts';
export { handoverStream } from './packets/packet-issuer.ts';
export { createDeskDirectory, deskStream } from './desks/index.ts';
export type { Desk, DeskDirectory } from './desks/index.ts';

export const PACKET_CONSUMER = 'liaison.packets';

// Routes and the packet worker of one process share one signing key and one feed signal (so a
// packet issued here wakes the SSE streams served here).
const signers = new WeakMap<ServiceStorage, Promise<ServiceSigner>>();
const signals = new WeakMap<ServiceStorage, FeedSignal>();
// The overdue watch runs with the workers; the route of the same process reads it.
const watches = new WeakMap<ServiceStorage, OverdueWatch>();

function signerIn(storage: ServiceStorage): Promise<ServiceSigner> {
  let signer = signers.get(storage);
  if (!signer) {
    signer = loadLiaisonSigner(storage);
    signers.set(storage, signer);
    signer.catch(() => signers.delete(storage));
  }
  return signer;
}

function signalIn(storage: ServiceStorage): FeedSignal {
  let signal = signals.get(storage);
  if (!signal) {
    signal = createFeedSignal();
    signals.set(storage, signal);
  }
  return signal;
}

const CONSENT_TYPES = new Set(['protection.ConsentRecorded', 'protection.ConsentWithdrawn']);

/**
 * One consumer of every agency's events: consents and sealed person fields are noted before any
 * handover that follows them is packed, and a person erased anywhere is erased in the liaison's
 * key store too (its later packets then withhold them as `erased`).
 */
export function startPacketConsumer(bus: Bus, book: LiaisonBook, issuer: ReturnType<typeof createPacketIssuer>, vault?: Vault): Consumer {
  return bus.consume({
    consumer: PACKET_CONSUMER,
    maxAttempts: Number.POSITIVE_INFINITY,
    async handler(event: RecordedEvent) {
      if (event.agency === 'liaison') return;
      if (vault && event.type.endsWith('.PersonErased')) await vault.erase((event.data as { personId: string }).personId);
      if (CONSENT_TYPES.has(event.type)) await book.applyConsent(event);
      await book.applyPersonFields(event);
      await issuer.issueFor(event);
    },
    onRetry: (event, error, attempt) => console.error(`[liaison] packet for event ${event.id} (${event.type}) failed (attempt ${attempt}), retrying: ${String(error)}`),
    onError: (error) => console.error(`[liaison] packet consumer: the bus failed, resuming from the checkpoint: ${String(error)}`),
  });
}

export async function packetIssuerFor(dependencies: ServiceDependencies, overrides: Partial<PacketIssuerDependencies> = {}) {
  const book = createLiaisonBook(dependencies.projections);
  const signal = signalIn(dependencies.storage);
  const issuer = createPacketIssuer({
    store: dependencies.store,
    registry: dependencies.registry,
    vault: dependencies.vault,
    book,
    desks: createDeskDirectory(dependencies.store, dependencies.registry),
    signer: await signerIn(dependencies.storage),
    onNoDesk: (event, country, gate) => console.warn(`[liaison] no desk registered for ${country}${gate ? ` at ${gate}` : ''}: handover event ${event.id} has no packet; register a desk (nrm desk register) and replay`),
    onIssued: (packet) => signal.notify(packet.deskId),
    ...overrides,
  });
  return { book, issuer };
}

export const liaisonService: BackboneService = {
  name: 'liaison',
  description: 'Cross-border liaison: the foreign desk registry, signed handover packets and their feeds, acknowledgements',
  routes: async (app, dependencies) => {
    const directory = createDeskDirectory(dependencies.store, dependencies.registry);
    registerDeskRoutes(app, { store: dependencies.store, registry: dependencies.registry, directory });
    const book = createLiaisonBook(dependencies.projections);
    const signer = await signerIn(dependencies.storage);
    registerFeedRoutes(app, { book, signer, signal: signalIn(dependencies.storage) });
    registerAcknowledgementRoutes(app, { store: dependencies.store, registry: dependencies.registry, directory, book, signer });
    registerOverdueRoute(app, () => watches.get(dependencies.storage));
    registerCosignatureRoutes(app, { store: dependencies.store, registry: dependencies.registry, directory, auditKeys: auditKeySource(dependencies.storage) });
  },
  start: async (dependencies) => {
    const { book, issuer } = await packetIssuerFor(dependencies);
    const consumer = startPacketConsumer(dependencies.bus, book, issuer, dependencies.vault);
    const watch = startOverdueWatch(dependencies.store, dependencies.registry, {
      maxSleepMs: Number(process.env.NRM_LIAISON_OVERDUE_CHECK_MS ?? 60_000),
      onError: (error) => console.error(`[liaison] overdue watch: ${String(error)}`),
    });
    watches.set(dependencies.storage, watch);
    // Over Kafka, packets are also published to the handover topic for desks that consume Kafka.
    const kafkaBus = dependencies.bus as Partial<{ kafka: Kafka; topics: { handover: string } }>;
    const relay =
      kafkaBus.kafka && kafkaBus.topics
        ? startHandoverRelay({
            book,
            newProducer: () => kafkaBus.kafka!.producer({ idempotent: true, maxInFlightRequests: 1 }),
            topic: kafkaBus.topics.handover,
            signal: signalIn(dependencies.storage),
            onError: (error) => console.error(`[liaison] handover relay: ${String(error)}`),
          })
        : undefined;
    return [
      ...(relay ? [{ name: 'liaison.handover-relay', stop: () => relay.stop() }] : []),
      { name: PACKET_CONSUMER, stop: () => consumer.stop() },
      {
        name: 'liaison.overdue',
        async stop() {
          watches.delete(dependencies.storage);
          await watch.stop();
        },
      },
    ];
  },
};
