// Desks that consume Kafka read their packets from `nrm.handover.v1`, keyed by the destination
// country (so one country's packets stay in order on one partition). The relay publishes every
// stored packet in the order it was issued and then records how far it got; a crash before the
// checkpoint publishes the last batch again, so a desk dedupes by packetId (at least once, like
// every other topic of the backbone). After a failure the producer is retired and a fresh one
// made on the next try, as the outbox relay does: an idempotent producer out of step with a
// restarted broker is refused for good.
import type { Producer } from 'kafkajs';
import { replaceableProducer } from '@nrm/bus';
import type { LiaisonBook } from '../packets/liaison-book.ts';
import { ANY_DESK, feedItem } from './feed-routes.ts';
import type { FeedSignal } from './feed-routes.ts';

export const HANDOVER_RELAY = 'handover-relay';
const BATCH = 200;

export type HandoverRelay = { stop(): Promise<void> };

export function startHandoverRelay(options: { book: LiaisonBook; newProducer: () => Producer; topic: string; signal: FeedSignal; pollMs?: number; onError?: (error: unknown) => void }): HandoverRelay {
  const { book, topic, signal } = options;
  const stop = new AbortController();
  const producer = replaceableProducer(options.newProducer);
  const running = (async () => {
    let after = await book.loadCheckpoint(HANDOVER_RELAY);
    while (!stop.signal.aborted) {
      try {
        const packets = await book.allAfter(after, BATCH);
        if (packets.length > 0) {
          await (await producer.connected()).send({
            topic,
            acks: -1,
            messages: packets.map((packet) => ({
              key: packet.country,
              value: JSON.stringify({ deskId: packet.deskId, country: packet.country, ...feedItem(packet) }),
              headers: { 'nrm-desk': packet.deskId, 'nrm-packet-id': packet.packetId, 'content-type': 'application/json' },
            })),
          });
          after = packets[packets.length - 1]!.globalSeq;
          await book.saveCheckpoint(HANDOVER_RELAY, after);
          if (packets.length === BATCH) continue;
        }
      } catch (error) {
        options.onError?.(error);
        await producer.retire();
      }
      await signal.wait(ANY_DESK, options.pollMs ?? 1_000, stop.signal);
    }
  })();
  return {
    async stop() {
      stop.abort();
      await running.catch((error) => options.onError?.(error));
      await producer.retire();
    },
  };
}
