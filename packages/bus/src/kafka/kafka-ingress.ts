// Ingress over Kafka: one consumer group per agency service reads `nrm.<agency>.ingress.v1` and
// hands each fact to the service, which records it exactly as its HTTP ingestion endpoint would.
// A message that is not a fact, and a fact the service refuses, is published to
// `nrm.<agency>.rejections.v1` with the reason (acks=all, idempotent producer) and then
// committed: bad input never blocks. A fact that could not be decided (the store failed) is not
// committed: its partition alone is paused and the fact tried again after a capped backoff, so
// no fact is lost and the other partitions flow on. Offsets are committed by hand, one message
// at a time, once its fact is recorded or its rejection acknowledged.
// The sender is authenticated first, before the value is read: its access token is checked as of
// the moment the broker wrote the message when the topic's timestamps are the broker's
// (LogAppendTime, as ensureTopics creates ingress topics), so a backlog read after an outage is
// not refused for tokens that expired while it waited; otherwise as of now.
// kafkajs is CommonJS and Node's named-export detection stops before ConfigResourceTypes.
import kafkajs from 'kafkajs';
import type { Consumer, EachMessagePayload, Kafka } from 'kafkajs';
import { backoffMs } from '../delivery.ts';
import type { IngressConsumer, IngressOptions, IngressStatus } from '../port.ts';
import { credentialOf, decodeIngress, rejectionMessage } from './ingress-message.ts';
import type { IngressRefusal } from './ingress-message.ts';
import type { TopicNames } from './kafka-topics.ts';
import { replaceableProducer } from './replaceable-producer.ts';
import { superviseConsumer } from './supervised-consumer.ts';
import type { SupervisedConsumer } from './supervised-consumer.ts';

export function startKafkaIngress(kafka: Kafka, settings: { topics: TopicNames; groupId: string; maxMessageBytes: number }, options: IngressOptions): IngressConsumer {
  const status: IngressStatus = { consumer: options.consumer, state: 'running', accepted: 0, duplicates: 0, rejected: 0, retried: 0 };
  // Made when a rejection is first sent, and again after a failed send (ADR 0012).
  const producer = replaceableProducer(() => kafka.producer({ idempotent: true, maxInFlightRequests: 1 }));
  const rejections = settings.topics.rejections(options.agency);
  /** The message each partition is retrying, and how often it was tried: the backoff grows per message. */
  const retrying = new Map<string, { offset: string; attempts: number }>();
  const resumeTimers = new Set<ReturnType<typeof setTimeout>>();
  let stopping = false;
  /** Whether the broker stamps the topic's messages (LogAppendTime), learnt once at start. */
  let appendTime = false;

  /** Records the message's fact, if it carries one; answers why it is refused, if it is. */
  async function refusalOf(record: EachMessagePayload['message']): Promise<IngressRefusal | null> {
    const sender = await options.authenticate(credentialOf(record, { appendTime }));
    if (!sender.ok) return { factId: null, rule: sender.rule, detail: sender.detail };
    const decoded = decodeIngress(record, { maxBytes: settings.maxMessageBytes, parseFact: options.parseFact });
    if (!decoded.ok) return decoded.refusal;
    const outcome = await options.handle({ fact: decoded.fact, actor: sender.actor, traceparent: decoded.traceparent });
    if (outcome.status === 'accepted') status.accepted++;
    if (outcome.status === 'duplicate') status.duplicates++;
    if (outcome.status !== 'rejected') return null;
    return { factId: decoded.fact.id, rule: outcome.rule, detail: outcome.detail, ...(outcome.errors ? { errors: outcome.errors } : {}) };
  }

  /** False (tokens judged at read time) when the topic keeps producers' timestamps, or its config cannot be read (ACLs may deny it). */
  async function timestampsAreTheBrokers(topic: string): Promise<boolean> {
    const admin = kafka.admin();
    try {
      await admin.connect();
      const described = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: kafkajs.ConfigResourceTypes.TOPIC, name: topic, configNames: ['message.timestamp.type'] }] });
      return described.resources[0]?.configEntries.find((entry) => entry.configName === 'message.timestamp.type')?.configValue === 'LogAppendTime';
    } catch (error) {
      options.onError?.(new Error(`cannot read ${topic}'s message.timestamp.type (${(error as Error).message}): tokens are checked as of when each message is read`));
      return false;
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }

  function retryLater(consumer: Consumer, { topic, partition, message, pause }: EachMessagePayload, error: unknown): void {
    const key = `${topic}:${partition}`;
    const previous = retrying.get(key);
    const attempt = previous?.offset === message.offset ? previous.attempts + 1 : 1;
    retrying.set(key, { offset: message.offset, attempts: attempt });
    status.retried++;
    options.onRetry?.(error, attempt);
    // kafkajs moves past a message once the handler returns: seek back to it, and pause only its
    // partition. Once resumed, the partition is read again at the consumer's next fetch (at most 5 s).
    consumer.seek({ topic, partition, offset: message.offset });
    const resume = pause();
    const timer = setTimeout(() => {
      resumeTimers.delete(timer);
      if (!stopping) resume();
    }, backoffMs(attempt));
    resumeTimers.add(timer);
  }

  async function eachMessage(consumer: Consumer, payload: EachMessagePayload): Promise<void> {
    const { topic, partition, message } = payload;
    try {
      const refusal = await refusalOf(message);
      if (refusal) {
        try {
          await (await producer.connected()).send({ topic: rejections, acks: -1, messages: [rejectionMessage(refusal, { topic, partition, record: message }, new Date())] });
        } catch (error) {
          await producer.retire();
          throw error;
        }
        status.rejected++;
      }
      retrying.delete(`${topic}:${partition}`);
    } catch (error) {
      retryLater(consumer, payload, error);
      return;
    }
    // A failed commit is not retried: the message is settled, and the next commit on the partition
    // covers it; after a crash it is handled again, which finds a duplicate.
    await consumer.commitOffsets([{ topic, partition, offset: (BigInt(message.offset) + 1n).toString() }]).catch((error: unknown) => options.onError?.(error));
  }

  let supervised: SupervisedConsumer | null = null;
  const started = (async () => {
    const topic = settings.topics.ingress(options.agency);
    appendTime = await timestampsAreTheBrokers(topic);
    if (stopping) return;
    supervised = superviseConsumer(kafka, {
      groupId: settings.groupId,
      topics: [topic],
      onError: options.onError,
      run: (consumer) => ({ autoCommit: false, eachMessage: (payload) => eachMessage(consumer, payload) }),
    });
  })().catch((error: unknown) => options.onError?.(error));

  return {
    status: () => ({ ...status }),
    async stop() {
      stopping = true;
      for (const timer of resumeTimers) clearTimeout(timer);
      await started;
      // The consumer first: it waits for the message in hand, whose rejection may still be on its way.
      await (supervised as SupervisedConsumer | null)?.stop();
      await producer.retire();
      status.state = 'stopped';
    },
  };
}
