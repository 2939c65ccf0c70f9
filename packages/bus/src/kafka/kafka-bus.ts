// The Kafka adapter of the Bus port (kafkajs): each consumer is a consumer group reading the
// events topics of the agencies its filter names (all agencies' when it names none), from the
// beginning the first time, then from its committed offsets. Offsets are committed only after
// the handler finished, so delivery is at least once; per case it is in order (one partition
// per caseId). Messages that are not valid events are reported and skipped, never retried: they
// would only block the partition. Facts agency systems publish to their ingress topics are
// consumed by `consumeIngress` (kafka-ingress.ts).
import './kafkajs-idle-timer-fix.ts';
import { Kafka, logLevel } from 'kafkajs';
import { SERVICES } from '@nrm/contracts';
import type { Agency } from '@nrm/contracts';
import { matchesFilter } from '@nrm/eventstore';
import type { EventFilter } from '@nrm/eventstore';
import { DEFAULT_MAX_ATTEMPTS, deliver } from '../delivery.ts';
import type { Bus, ConsumeOptions, Consumer, ConsumerStatus, IngressConsumer, IngressOptions } from '../port.ts';
import { PositionWaiters } from '../position-waiters.ts';
import { fromMessage } from './event-message.ts';
import { DEFAULT_MAX_INGRESS_BYTES } from './ingress-message.ts';
import { startKafkaIngress } from './kafka-ingress.ts';
import { superviseConsumer } from './supervised-consumer.ts';
import { topicNames } from './kafka-topics.ts';
import type { TopicNames } from './kafka-topics.ts';
import type { KafkaSecurity } from './kafka-security.ts';

export type KafkaBusOptions = {
  brokers: string[];
  clientId: string;
  /** Prefix for every topic and group (tests isolate themselves with one). */
  namespace?: string;
  onInvalidMessage?: (topic: string, reason: string) => void;
  /** Largest ingress message value accepted (default 256 KiB); a larger one is rejected unread. */
  maxIngressBytes?: number;
  /** TLS and SASL towards the broker (kafkaSecurityFromEnv); none by default. */
  security?: KafkaSecurity;
};

function agenciesOf(filter: EventFilter | undefined): Agency[] {
  const named = new Set<string>([...(filter?.agencies ?? []), ...(filter?.types ?? []).map((type) => type.split('.')[0]!)]);
  const agencies = SERVICES.filter((agency) => named.has(agency));
  return agencies.length > 0 ? agencies : [...SERVICES];
}

export function createKafkaBus(options: KafkaBusOptions): Bus & { readonly kafka: Kafka; readonly topics: TopicNames; consumeIngress(options: IngressOptions): IngressConsumer } {
  const kafka = new Kafka({
    clientId: options.clientId,
    brokers: options.brokers,
    logLevel: logLevel.NOTHING,
    retry: { retries: 8, initialRetryTime: 200, maxRetryTime: 5000 },
    ...options.security,
  });
  const topics = topicNames(options.namespace);
  const consumers = new Set<Consumer>();
  const ingresses = new Set<IngressConsumer>();

  function consume(consumeOptions: ConsumeOptions): Consumer {
    const status: ConsumerStatus = { consumer: consumeOptions.consumer, state: 'running', position: -1, handled: 0, retried: 0, deadLettered: 0 };
    const waiters = new PositionWaiters();
    const stop = new AbortController();
    const subscribed = agenciesOf(consumeOptions.filter).map((agency) => topics.events(agency));

    const advance = (position: number) => {
      status.position = Math.max(status.position, position);
      waiters.reached(position);
    };

    const supervised = superviseConsumer(kafka, {
      groupId: `${options.namespace ?? ''}${consumeOptions.consumer}`,
      topics: subscribed,
      onError: consumeOptions.onError,
      run: () => ({
        autoCommit: true,
        eachMessage: async ({ topic, message }) => {
          const decoded = fromMessage(message.value);
          if (!decoded.ok) {
            options.onInvalidMessage?.(topic, decoded.reason);
            return;
          }
          const event = decoded.event;
          if (matchesFilter(event, consumeOptions.filter)) {
            const { outcome, attempts } = await deliver(event, consumeOptions.handler, {
              maxAttempts: consumeOptions.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
              signal: stop.signal,
              onRetry: consumeOptions.onRetry,
              onDeadLetter: consumeOptions.onDeadLetter,
              // The relay's producer span, so the trace shows the Kafka hop between the services.
              traceparent: message.headers?.traceparent?.toString() ?? null,
              source: topic,
            });
            // Stopping mid-delivery: leave the offset uncommitted, so the event is delivered again.
            if (outcome === 'aborted') throw new Error('consumer stopping');
            status.retried += attempts - 1;
            if (outcome === 'handled') status.handled++;
            else status.deadLettered++;
          }
          advance(event.position);
        },
      }),
    });

    const handle: Consumer = {
      status: () => ({ ...status }),
      waitForPosition: (position, timeoutMs = 15_000) => waiters.wait(position, timeoutMs, `consumer ${consumeOptions.consumer}`),
      async stop() {
        stop.abort();
        await supervised.stop();
        status.state = 'stopped';
        consumers.delete(handle);
      },
    };
    consumers.add(handle);
    return handle;
  }

  function consumeIngress(ingressOptions: IngressOptions): IngressConsumer {
    const ingress = startKafkaIngress(
      kafka,
      { topics, groupId: `${options.namespace ?? ''}${ingressOptions.consumer}`, maxMessageBytes: options.maxIngressBytes ?? DEFAULT_MAX_INGRESS_BYTES },
      ingressOptions,
    );
    const handle: IngressConsumer = {
      status: ingress.status,
      async stop() {
        await ingress.stop();
        ingresses.delete(handle);
      },
    };
    ingresses.add(handle);
    return handle;
  }

  return {
    name: 'kafka',
    kafka,
    topics,
    consume,
    consumeIngress,
    async close() {
      await Promise.all([...consumers, ...ingresses].map((consumer) => consumer.stop()));
    },
  };
}
