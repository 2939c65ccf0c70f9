// The Kafka topics of DESIGN.md, created up front (the broker does not auto-create them):
// one events topic per agency keyed by caseId, the handover topic keyed by destination country,
// and per agency an ingress topic for agency systems and a rejections topic for what ingress refused.
import type { Admin } from 'kafkajs';
import { SERVICES, topics } from '@nrm/contracts';
import type { Agency } from '@nrm/contracts';

export type TopicNames = {
  /** The prefix of every topic and consumer group ('' by default). */
  namespace: string;
  events(agency: Agency): string;
  ingress(agency: Agency): string;
  rejections(agency: Agency): string;
  handover: string;
};

/** Topic names, optionally under a namespace (tests isolate themselves with one). */
export function topicNames(namespace = ''): TopicNames {
  return {
    namespace,
    events: (agency) => `${namespace}${topics.events(agency)}`,
    ingress: (agency) => `${namespace}${topics.ingress(agency)}`,
    rejections: (agency) => `${namespace}${topics.rejections(agency)}`,
    handover: `${namespace}${topics.handover}`,
  };
}

export function allTopics(names: TopicNames): string[] {
  return [...SERVICES.flatMap((agency) => [names.events(agency), names.ingress(agency), names.rejections(agency)]), names.handover];
}

/**
 * Ingress topics carry the broker's own timestamp (LogAppendTime): a sender's token is checked as
 * of when the broker took the message, which the sender cannot backdate.
 */
function configOf(topic: string, names: TopicNames): { name: string; value: string }[] {
  const ingress = SERVICES.some((agency) => names.ingress(agency) === topic);
  return ingress ? [{ name: 'message.timestamp.type', value: 'LogAppendTime' }] : [];
}

/**
 * Creates every missing topic and waits until each of their partitions has a leader; existing
 * topics are left as they are. Right after a create (or a delete of the same names) a broker may
 * answer a metadata request with "does not host this topic-partition" or "leader not available"
 * for a moment: those answers are waited out (bounded), anything else is thrown.
 */
export async function ensureTopics(admin: Admin, names: TopicNames, options: { partitions?: number; timeoutMs?: number } = {}): Promise<void> {
  const existing = new Set(await admin.listTopics());
  const missing = allTopics(names).filter((topic) => !existing.has(topic));
  if (missing.length === 0) return;
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((topic) => ({ topic, numPartitions: options.partitions ?? 3, replicationFactor: 1, configEntries: configOf(topic, names) })),
    });
  } catch (error) {
    if (!isTransientMetadataError(error)) throw error;
  }
  for (let wait = 50; ; wait = Math.min(wait * 2, 1_000)) {
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: missing });
      if (topics.length === missing.length && topics.every((topic) => topic.partitions.length > 0 && topic.partitions.every((partition) => partition.leader >= 0))) return;
    } catch (error) {
      if (!isTransientMetadataError(error)) throw error;
    }
    if (Date.now() > deadline) throw new Error(`Kafka topics ${missing.join(', ')} have no leader after ${options.timeoutMs ?? 30_000} ms`);
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
}

/** What a broker answers while a topic it just created (or deleted) is still settling. */
function isTransientMetadataError(error: unknown): boolean {
  const type = (error as { type?: unknown }).type;
  return type === 'UNKNOWN_TOPIC_OR_PARTITION' || type === 'LEADER_NOT_AVAILABLE' || type === 'TOPIC_ALREADY_EXISTS' || (error as Error).message?.includes('does not host this topic-partition') === true;
}
