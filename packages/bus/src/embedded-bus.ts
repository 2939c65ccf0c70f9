// The embedded bus: consumers read the store's own global log through a catch-up subscription
// with a durable checkpoint. There is nothing to publish: appending to the store is publishing.
// Checkpoints are saved every `checkpointEvery` events and whenever the consumer is caught up,
// so a crash redelivers at most that many events, which idempotent handlers turn into no-ops.
import type { EventStore } from '@nrm/eventstore';
import { DEFAULT_MAX_ATTEMPTS, deliver } from './delivery.ts';
import type { Bus, ConsumeOptions, Consumer, ConsumerStatus } from './port.ts';
import { PositionWaiters } from './position-waiters.ts';

export type EmbeddedBusOptions = {
  checkpointEvery?: number;
};

export function createEmbeddedBus(store: EventStore, busOptions: EmbeddedBusOptions = {}): Bus {
  const checkpointEvery = busOptions.checkpointEvery ?? 100;
  const consumers = new Set<Consumer>();

  function consume(options: ConsumeOptions): Consumer {
    const stop = new AbortController();
    const checkpointName = `bus:${options.consumer}`;
    const status: ConsumerStatus = { consumer: options.consumer, state: 'running', position: -1, handled: 0, retried: 0, deadLettered: 0 };
    const waiters = new PositionWaiters();
    let saved = -1;
    let pendingSave: Promise<void> = Promise.resolve();

    let subscription: ReturnType<EventStore['subscribe']> | null = null;
    const save = (position: number) => {
      if (position <= saved || !subscription) return pendingSave;
      const current = subscription;
      saved = position;
      pendingSave = pendingSave.then(() => current.checkpoint(position)).catch(() => {
        // A failed save only means more redelivery after a restart; the next save retries.
        saved = Math.min(saved, position - 1);
      });
      return pendingSave;
    };

    async function consumeUntilStopped(): Promise<void> {
      let sinceSave = 0;
      for (let failures = 0; !stop.signal.aborted; ) {
        subscription = store.subscribe({
          checkpoint: checkpointName,
          filter: options.filter,
          signal: stop.signal,
          onCaughtUp: (position) => {
            status.position = Math.max(status.position, position);
            waiters.reached(position);
            void save(position);
          },
        });
        try {
          for await (const event of subscription) {
            const { outcome, attempts } = await deliver(event, options.handler, {
              maxAttempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
              signal: stop.signal,
              onRetry: options.onRetry,
              onDeadLetter: options.onDeadLetter,
              source: `embedded ${options.consumer}`,
            });
            if (outcome === 'aborted') return;
            failures = 0;
            status.retried += attempts - 1;
            if (outcome === 'handled') status.handled++;
            else status.deadLettered++;
            status.position = event.position;
            waiters.reached(event.position);
            if (++sinceSave >= checkpointEvery) {
              sinceSave = 0;
              await save(event.position);
            }
          }
        } catch (error) {
          // The store failed under the subscription (e.g. the database restarted): resume from
          // the last saved checkpoint after a pause, redelivering what was not saved.
          failures++;
          options.onError?.(error);
          await pendingSave;
          await new Promise((resolve) => setTimeout(resolve, Math.min(5000, 100 * 2 ** failures)));
        }
      }
    }

    const running = consumeUntilStopped().finally(async () => {
      if (status.position >= 0) await save(status.position);
      await pendingSave;
      status.state = 'stopped';
    });

    const consumer: Consumer = {
      status: () => ({ ...status }),
      waitForPosition: (position, timeoutMs = 10_000) => waiters.wait(position, timeoutMs, `consumer ${options.consumer}`),
      async stop() {
        stop.abort();
        await subscription?.close();
        await running.catch(() => undefined);
        consumers.delete(consumer);
      },
    };
    consumers.add(consumer);
    return consumer;
  }

  return {
    name: 'embedded',
    consume,
    async close() {
      await Promise.all([...consumers].map((consumer) => consumer.stop()));
    },
  };
}
