// The outbox relay: publishes a service's own events from its store to its Kafka topic, in log
// order, from a durable checkpoint saved only after the broker acknowledged (acks=all, idempotent
// producer). A crash between append and publish loses nothing — the events are in the store —
// and a restart republishes at most what was not acknowledged; consumers are idempotent.
import type { Producer } from 'kafkajs';
import type { Agency, RecordedEvent } from '@nrm/contracts';
import type { EventStore } from '@nrm/eventstore';
import { toMessage } from './event-message.ts';
import type { TopicNames } from './kafka-topics.ts';

export type OutboxRelay = { published(): number; stop(): Promise<void> };

export function startOutboxRelay(options: {
  store: EventStore;
  producer: Producer;
  agencies: readonly Agency[];
  topics: TopicNames;
  /** Most events per send (default 500). */
  batchSize?: number;
  onError?: (error: unknown) => void;
}): OutboxRelay {
  const stop = new AbortController();
  const checkpoint = `outbox:kafka:${options.agencies.join('+')}`;
  const batchSize = options.batchSize ?? 500;
  let published = 0;

  async function publish(batch: RecordedEvent[]): Promise<void> {
    const byTopic = new Map<string, RecordedEvent[]>();
    for (const event of batch) {
      const topic = options.topics.events(event.agency);
      byTopic.set(topic, [...(byTopic.get(topic) ?? []), event]);
    }
    await options.producer.sendBatch({ acks: -1, topicMessages: [...byTopic].map(([topic, events]) => ({ topic, messages: events.map(toMessage) })) });
  }

  const running = (async () => {
    for (let failures = 0; !stop.signal.aborted; ) {
      const subscription = options.store.subscribe({ checkpoint, filter: { agencies: options.agencies }, signal: stop.signal });
      try {
        const iterator = subscription[Symbol.asyncIterator]();
        let batch: RecordedEvent[] = [];
        let pending: Promise<IteratorResult<RecordedEvent>> | null = null;
        for (;;) {
          pending ??= iterator.next();
          // Send what has arrived when the log has nothing more right now, or the batch is full.
          const next = batch.length === 0 ? await pending : await Promise.race([pending, new Promise<null>((resolve) => setImmediate(() => resolve(null)))]);
          if (next && !next.done) {
            batch.push(next.value);
            pending = null;
            if (batch.length < batchSize) continue;
          }
          if (batch.length > 0) {
            await publish(batch);
            await subscription.checkpoint(batch[batch.length - 1]!.position);
            published += batch.length;
            failures = 0;
            batch = [];
          }
          if (next?.done) return;
        }
      } catch (error) {
        if (stop.signal.aborted) return;
        failures++;
        options.onError?.(error);
        await subscription.close();
        await new Promise((resolve) => setTimeout(resolve, Math.min(5000, 100 * 2 ** failures)));
      }
    }
  })();

  return {
    published: () => published,
    async stop() {
      stop.abort();
      await running;
    },
  };
}
