// The outbox relay: publishes a service's own events from its store to its Kafka topic, in log
// order, from a durable checkpoint saved only after the broker acknowledged (acks=all, idempotent
// producer). A crash between append and publish loses nothing — the events are in the store —
// and a restart republishes at most what was not acknowledged; consumers are idempotent.
// After a failed send the relay retires its producer and starts a fresh one (a new producer id):
// an idempotent producer whose sequence numbers fell out of step with a restarted broker would
// otherwise be refused on every retry, and the relay would never publish again.
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { Span } from '@opentelemetry/api';
import type { Message, Producer } from 'kafkajs';
import type { Agency, RecordedEvent } from '@nrm/contracts';
import type { EventStore } from '@nrm/eventstore';
import { formatTraceparent, parseTraceparent } from '../trace-context.ts';
import { toMessage } from './event-message.ts';
import { replaceableProducer } from './replaceable-producer.ts';
import type { TopicNames } from './kafka-topics.ts';

export type OutboxRelay = { published(): number; stop(): Promise<void> };

const tracer = trace.getTracer('@nrm/bus');

export function startOutboxRelay(options: {
  store: EventStore;
  /** Makes an idempotent producer (acks=all); the relay connects it, and makes another after a failure. */
  newProducer: () => Producer;
  agencies: readonly Agency[];
  topics: TopicNames;
  /** Most events per send (default 500). */
  batchSize?: number;
  /**
   * Most bytes per send (default 512 KiB), whatever the count: a partition's share of one send must
   * stay under the broker's message.max.bytes (1 MiB by default), or the send is refused every time.
   */
  maxBatchBytes?: number;
  onError?: (error: unknown) => void;
}): OutboxRelay {
  const stop = new AbortController();
  // Per namespace: pointing a store at a new namespace publishes its whole log there.
  const checkpoint = `outbox:kafka:${options.topics.namespace}${options.agencies.join('+')}`;
  const batchSize = options.batchSize ?? 500;
  const maxBatchBytes = options.maxBatchBytes ?? 512 * 1024;
  let published = 0;
  const producer = replaceableProducer(options.newProducer);

  /** One event as it will be sent: its message, its topic, and its producer span when it is traced. */
  type Outgoing = { event: RecordedEvent; topic: string; message: Message; bytes: number; span: Span | null };

  function prepare(event: RecordedEvent): Outgoing {
    const topic = options.topics.events(event.agency);
    const message = toMessage(event);
    // A producer span per traced event, a child of the command that recorded it: the Kafka hop of
    // its trace. The message's traceparent header names this span, so the consumer's is its child.
    const parent = parseTraceparent(event.traceparent);
    let span: Span | null = null;
    if (parent) {
      span = tracer.startSpan(`publish ${topic}`, { kind: SpanKind.PRODUCER, attributes: { 'messaging.system': 'kafka', 'messaging.destination.name': topic, 'nrm.event.id': event.id, 'nrm.event.type': event.type } }, trace.setSpanContext(ROOT_CONTEXT, parent));
      message.headers = { ...message.headers, traceparent: formatTraceparent(span.spanContext()) ?? event.traceparent! };
    }
    const headerBytes = Object.entries(message.headers ?? {}).reduce((sum, [key, value]) => sum + key.length + String(value).length, 0);
    return { event, topic, message, bytes: String(message.value).length + headerBytes, span };
  }

  async function publish(batch: readonly Outgoing[]): Promise<void> {
    const byTopic = new Map<string, Message[]>();
    for (const { topic, message } of batch) {
      const messages = byTopic.get(topic);
      if (messages) messages.push(message);
      else byTopic.set(topic, [message]);
    }
    try {
      await (await producer.connected()).sendBatch({ acks: -1, topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) });
    } catch (error) {
      for (const { span } of batch) span?.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      // A single event larger than the broker accepts would be refused on every retry: say which.
      if (batch.length === 1 && /too large/i.test(String(error))) {
        throw new Error(`event ${batch[0]!.event.id} (${batch[0]!.bytes} bytes) is larger than the broker accepts on ${batch[0]!.topic}: raise the topic's max.message.bytes; the relay retries until it fits`, { cause: error });
      }
      throw error;
    } finally {
      for (const { span } of batch) span?.end();
    }
  }

  const running = (async () => {
    for (let failures = 0; !stop.signal.aborted; ) {
      const subscription = options.store.subscribe({ checkpoint, filter: { agencies: options.agencies }, signal: stop.signal });
      try {
        const iterator = subscription[Symbol.asyncIterator]();
        let batch: Outgoing[] = [];
        let bytes = 0;
        let pending: Promise<IteratorResult<RecordedEvent>> | null = null;
        for (;;) {
          pending ??= iterator.next();
          // Send what has arrived when the log has nothing more right now, or the batch is full.
          const next = batch.length === 0 ? await pending : await Promise.race([pending, new Promise<null>((resolve) => setImmediate(() => resolve(null)))]);
          if (next && !next.done) {
            const outgoing = prepare(next.value);
            batch.push(outgoing);
            bytes += outgoing.bytes;
            pending = null;
            if (batch.length < batchSize && bytes < maxBatchBytes) continue;
          }
          if (batch.length > 0) {
            await publish(batch);
            await subscription.checkpoint(batch[batch.length - 1]!.event.position);
            published += batch.length;
            failures = 0;
            batch = [];
            bytes = 0;
          }
          if (next?.done) return;
        }
      } catch (error) {
        if (stop.signal.aborted) return;
        failures++;
        options.onError?.(error);
        await subscription.close();
        await producer.retire();
        await new Promise((resolve) => setTimeout(resolve, Math.min(5000, 100 * 2 ** failures)));
      }
    }
  })();

  return {
    published: () => published,
    async stop() {
      stop.abort();
      await running;
      await producer.retire();
    },
  };
}
