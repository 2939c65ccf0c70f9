// The distributed backbone for an e2e suite: every service its own `nrm start <service>` process
// with its own store, events over a real Kafka broker, as an operator would run it. A fresh topic
// namespace per suite keeps suites apart on one broker; PostgreSQL stores get their own schemas.
// Processes come back on the same port after `kill`/`restart`, so clients just retry.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AssignerProtocol, Kafka, logLevel } from 'kafkajs';
import pg from 'pg';
import { newId } from '@nrm/contracts';
import type { Agency } from '@nrm/contracts';
import { openEventStore } from '@nrm/eventstore';
import type { EventStore } from '@nrm/eventstore';
import { postgresTestUrl } from '@nrm/eventstore/testing';
import { freePort } from '@nrm/bus/testing';
import { startNrm } from './nrm-process.ts';
import type { NrmProcess } from './nrm-process.ts';

export const DISTRIBUTED_SERVICES = ['intake', 'identification', 'rescue', 'protection', 'reintegration', 'audit', 'liaison'] as const satisfies readonly Agency[];
type Service = (typeof DISTRIBUTED_SERVICES)[number];

export type DistributedBackbone = {
  dataDir: string;
  namespace: string;
  brokers: string[];
  urls: Record<Service, string>;
  storeUrls: Record<Service, string>;
  /** `kill -9`: the process gets no chance to flush or close anything. */
  kill(service: Service): Promise<void>;
  start(service: Service): Promise<void>;
  /** Opens a service's store for checks (stop or kill the service first when it is SQLite). */
  openStore(service: Service): Promise<EventStore>;
  output(service: Service): string;
  /**
   * Runs `work` within `timeoutMs`; when it fails or overruns, the error carries what each service
   * wrote to stderr/stdout last, so a CI failure says which service stalled and why.
   */
  bounded<T>(what: string, timeoutMs: number, work: () => Promise<T>): Promise<T>;
  stop(): Promise<void>;
};

export async function startDistributedBackbone(options: { label: string; brokers: string[]; postgres?: readonly Service[] }): Promise<DistributedBackbone> {
  const id = newId().toLowerCase();
  const namespace = `${options.label}-${id}.`;
  const dataDir = mkdtempSync(join(tmpdir(), `nrm-${options.label}-`));
  // PostgreSQL schema names are short (≤ 41 here): the id's random tail is unique enough.
  const schemaOf = (service: Service) => `${options.label.replace(/\W/g, '_')}_${id.slice(-10)}_${service}`;
  const storeUrls = Object.fromEntries(
    DISTRIBUTED_SERVICES.map((service) => [
      service,
      options.postgres?.includes(service) ? `${postgresTestUrl()}?schema=${schemaOf(service)}` : `sqlite:${join(dataDir, `${service}.db`)}`,
    ]),
  ) as Record<Service, string>;
  const ports = Object.fromEntries(await Promise.all(DISTRIBUTED_SERVICES.map(async (service) => [service, await freePort()] as const))) as Record<Service, number>;
  const processes = new Map<Service, NrmProcess>();
  const outputs = new Map<Service, string>();
  const bus = `kafka://${options.brokers.join(',')}?namespace=${namespace}`;

  async function start(service: Service): Promise<void> {
    const running = await startNrm([service, '--port', String(ports[service]), '--data-dir', dataDir, '--store', storeUrls[service], '--bus', bus], { timeoutMs: 60_000 });
    processes.set(service, running);
    running.child.on('exit', () => outputs.set(service, (outputs.get(service) ?? '') + running.output()));
  }

  async function kill(service: Service): Promise<void> {
    const running = processes.get(service);
    if (!running) return;
    processes.delete(service);
    const exited = new Promise((resolve) => running.child.once('exit', resolve));
    running.child.kill('SIGKILL');
    await exited;
  }

  async function stop(): Promise<void> {
    await Promise.all([...processes.values()].map((running) => running.stop()));
    processes.clear();
    const kafka = new Kafka({ clientId: 'e2e-cleanup', brokers: options.brokers, logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    try {
      await admin.connect();
      const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(namespace));
      if (topics.length > 0) await admin.deleteTopics({ topics, timeout: 10_000 });
      const groups = (await admin.listGroups()).groups.map((group) => group.groupId).filter((group) => group.startsWith(namespace));
      if (groups.length > 0) await admin.deleteGroups(groups);
    } catch {
      // Leftover topics of a test namespace harm nothing; the broker's data dir is temporary in CI.
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
    if (options.postgres?.length) {
      const client = new pg.Client({ connectionString: postgresTestUrl() });
      await client.connect();
      for (const service of options.postgres) await client.query(`DROP SCHEMA IF EXISTS "${schemaOf(service)}" CASCADE`);
      await client.end();
    }
    rmSync(dataDir, { recursive: true, force: true });
  }

  function output(service: Service): string {
    return (outputs.get(service) ?? '') + (processes.get(service)?.output() ?? '');
  }

  try {
    // The first process creates the topics; the rest start side by side. Every start settles
    // before a failure is reported, so no process that was still starting is left running.
    await start(DISTRIBUTED_SERVICES[0]);
    const started = await Promise.allSettled(DISTRIBUTED_SERVICES.slice(1).map(start));
    const failed = started.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    dataDir,
    namespace,
    brokers: options.brokers,
    urls: Object.fromEntries(DISTRIBUTED_SERVICES.map((service) => [service, `http://127.0.0.1:${ports[service]}`])) as Record<Service, string>,
    storeUrls,
    kill,
    start,
    openStore: (service) => openEventStore(storeUrls[service], { postgresSchema: schemaOf(service) }),
    output,
    bounded: (what, timeoutMs, work) => boundedWithOutputs(what, timeoutMs, work, output),
    stop,
  };
}

async function boundedWithOutputs<T>(what: string, timeoutMs: number, work: () => Promise<T>, output: (service: Service) => string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const overrun = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([work(), overrun]);
  } catch (error) {
    const tails = DISTRIBUTED_SERVICES.map((service) => {
      const lines = output(service).trimEnd().split('\n').slice(-25);
      return `--- ${service} (last ${lines.length} lines) ---\n${lines.join('\n')}`;
    });
    throw new Error(`${(error as Error).message}\n${tails.join('\n')}`, { cause: error });
  } finally {
    clearTimeout(timer);
  }
}

/** Waits until every consumer group of the namespace has read everything in its topics. */
export async function waitForNoConsumerLag(brokers: string[], namespace: string, timeoutMs = 30_000): Promise<void> {
  const kafka = new Kafka({ clientId: 'e2e-lag', brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(namespace) && topic.endsWith('.events.v1'));
      const ends = new Map<string, number>();
      for (const topic of topics) for (const partition of await admin.fetchTopicOffsets(topic)) ends.set(`${topic}/${partition.partition}`, Number(partition.high));
      const groups = (await admin.listGroups()).groups.map((group) => group.groupId).filter((group) => group.startsWith(namespace));
      let lag = 0;
      // Only the partitions assigned to a member count: a group never reads the other agencies' topics.
      for (const group of groups.length > 0 ? (await admin.describeGroups(groups)).groups : []) {
        const assigned = new Map<string, Set<number>>();
        for (const member of group.members) {
          const assignment = AssignerProtocol.MemberAssignment.decode(member.memberAssignment);
          for (const [topic, partitions] of Object.entries(assignment?.assignment ?? {})) assigned.set(topic, new Set([...(assigned.get(topic) ?? []), ...partitions]));
        }
        if (assigned.size === 0) continue;
        for (const { topic, partitions } of await admin.fetchOffsets({ groupId: group.groupId, topics: [...assigned.keys()] })) {
          for (const partition of partitions) {
            if (!assigned.get(topic)?.has(partition.partition)) continue;
            const committed = Number(partition.offset) < 0 ? 0 : Number(partition.offset);
            lag += Math.max(0, (ends.get(`${topic}/${partition.partition}`) ?? 0) - committed);
          }
        }
      }
      if (lag === 0 && groups.length > 0) return;
      if (Date.now() > deadline) throw new Error(`consumer groups of ${namespace} still lag by ${lag} messages after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  } finally {
    await admin.disconnect();
  }
}
