// The bus a process runs on: the embedded one (consumers read the store's global log), or Kafka
// (the outbox relay publishes this process's own agencies' events to their topics; consumers
// read the other agencies' topics). Topics are created up front, once.
import { createEmbeddedBus, createKafkaBus, ensureTopics, startOutboxRelay } from '@nrm/bus';
import type { Bus, KafkaSecurity } from '@nrm/bus';
import type { Agency } from '@nrm/contracts';
import type { EventStore } from '@nrm/eventstore';
import { CliError } from './cli-error.ts';

export async function openBus(
  store: EventStore,
  brokers: string[] | null,
  agencies: readonly Agency[],
  clientId: string,
  namespace = '',
  security: KafkaSecurity = {},
): Promise<{ bus: Bus; close(): Promise<void> }> {
  if (!brokers) {
    const bus = createEmbeddedBus(store);
    return { bus, close: () => bus.close() };
  }
  const bus = createKafkaBus({ brokers, clientId, namespace, security });
  const admin = bus.kafka.admin();
  try {
    await admin.connect();
    await ensureTopics(admin, bus.topics);
  } catch (error) {
    await admin.disconnect().catch(() => undefined);
    throw new CliError(`cannot reach Kafka at ${brokers.join(',')}: ${(error as Error).message}`, 1);
  }
  await admin.disconnect();
  const newProducer = () => bus.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  const relay = startOutboxRelay({ store, newProducer, agencies, topics: bus.topics, onError: (error) => console.error(`[outbox] ${String(error)}`) });
  return {
    bus,
    async close() {
      await bus.close();
      await relay.stop();
    },
  };
}
