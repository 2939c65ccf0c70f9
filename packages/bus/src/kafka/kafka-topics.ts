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

/** Creates every missing topic and waits for their leaders; existing topics are left as they are. */
export async function ensureTopics(admin: Admin, names: TopicNames, options: { partitions?: number } = {}): Promise<void> {
  const existing = new Set(await admin.listTopics());
  const missing = allTopics(names).filter((topic) => !existing.has(topic));
  if (missing.length === 0) return;
  await admin.createTopics({
    waitForLeaders: true,
    topics: missing.map((topic) => ({ topic, numPartitions: options.partitions ?? 3, replicationFactor: 1 })),
  });
}
