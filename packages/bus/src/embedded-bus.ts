// The embedded bus: consumers read the store's own global log through a catch-up subscription
// with a durable checkpoint. There is nothing to publish: appending to the store is publishing.
// Checkpoints are saved every `checkpointEvery` events, when the consumer stops, and when it has
// caught up, at most once per `caughtUpSaveMs` (every commit catches every consumer up, and a
// save per consumer per commit was a write transaction each). A crash redelivers at most that
// much, which idempotent handlers turn into no-ops.
// A consumer with a batch handler gets the events that arrived together in one call.
import type { RecordedEvent } from '@nrm/contracts';
import { batchesOf } from '@nrm/eventstore';
import type { EventStore } from '@nrm/eventstore';
import { DEFAULT_MAX_ATTEMPTS, deliver, deliverBatchOnce } from './delivery.ts';
import type { Bus, ConsumeOptions, Consumer, ConsumerStatus } from './port.ts';
import { PositionWaiters } from './position-waiters.ts';

export type EmbeddedBusOptions = {
  checkpointEvery?: number;
  /** How often at most a consumer that caught up saves its position (default 1 s). */
  caughtUpSaveMs?: number;
};

/** The most events one call of a batch handler gets. */
const MAX_BATCH = 500;

/** Hands out runs of what arrived together when there is a batch handler, single events otherwise. */
async function* runsOf(events: AsyncIterable<RecordedEvent>, batched: boolean): AsyncGenerator<RecordedEvent[]> {
  if (batched) {
    yield* batchesOf(events, MAX_BATCH);
    return;
  }
  for await (const event of events) yield [event];
}

/** The events of `source`, counted as they are taken from it (batching takes them ahead of handling). */
async function* counting(source: AsyncIterable<RecordedEvent>, taken: () => void): AsyncGenerator<RecordedEvent> {
  for await (const event of source) {
    taken();
    yield event;
  }
}

export function createEmbeddedBus(store: EventStore, busOptions: EmbeddedBusOptions = {}): Bus {
  const checkpointEvery = busOptions.checkpointEvery ?? 100;
  const caughtUpSaveMs = busOptions.caughtUpSaveMs ?? 1000;
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

    // Caught-up saves: one at once, then at most one per caughtUpSaveMs, the last one on a timer.
    let lastCaughtUpSave = Number.NEGATIVE_INFINITY;
    let caughtUpTimer: NodeJS.Timeout | null = null;
    const saveCaughtUp = () => {
      const wait = lastCaughtUpSave + caughtUpSaveMs - performance.now();
      if (wait <= 0) {
        lastCaughtUpSave = performance.now();
        void save(status.position);
      } else if (caughtUpTimer === null) {
        caughtUpTimer = setTimeout(() => {
          caughtUpTimer = null;
          lastCaughtUpSave = performance.now();
          void save(status.position);
        }, wait).unref();
      }
    };

    /** One event through the handler, with retries and dead-lettering; false when stopped meanwhile. */
    async function deliverOne(event: RecordedEvent): Promise<boolean> {
      const { outcome, attempts } = await deliver(event, options.handler, {
        maxAttempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
        signal: stop.signal,
        onRetry: options.onRetry,
        onDeadLetter: options.onDeadLetter,
        source: `embedded ${options.consumer}`,
      });
      if (outcome === 'aborted') return false;
      status.retried += attempts - 1;
      if (outcome === 'handled') status.handled++;
      else status.deadLettered++;
      return true;
    }

    async function consumeUntilStopped(): Promise<void> {
      let sinceSave = 0;
      const handleBatch = options.handleBatch;
      // Events taken from the subscription and handled (or dead-lettered), per subscription.
      let taken = 0;
      let handled = 0;
      let caughtUpPending = -1;
      const caughtUp = (position: number) => {
        status.position = Math.max(status.position, position);
        waiters.reached(position);
        saveCaughtUp();
      };
      for (let failures = 0; !stop.signal.aborted; ) {
        taken = 0;
        handled = 0;
        caughtUpPending = -1;
        subscription = store.subscribe({
          checkpoint: checkpointName,
          filter: options.filter,
          signal: stop.signal,
          onCaughtUp: (position) => {
            // Batching reads ahead: the subscription may report reaching the head while events
            // before it are taken but not yet handled. It counts once every one of them is.
            if (taken > handled) caughtUpPending = Math.max(caughtUpPending, position);
            else caughtUp(position);
          },
        });
        try {
          for await (const run of runsOf(counting(subscription, () => taken++), handleBatch !== undefined)) {
            if (run.length > 1 && (await deliverBatchOnce(run, handleBatch!, `embedded ${options.consumer}`))) {
              status.handled += run.length;
            } else {
              for (const event of run) if (!(await deliverOne(event))) return;
            }
            failures = 0;
            const last = run[run.length - 1]!.position;
            status.position = last;
            waiters.reached(last);
            handled += run.length;
            if (caughtUpPending >= 0 && taken === handled) {
              caughtUp(caughtUpPending);
              caughtUpPending = -1;
            }
            sinceSave += run.length;
            if (sinceSave >= checkpointEvery) {
              sinceSave = 0;
              await save(status.position);
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
      if (caughtUpTimer !== null) clearTimeout(caughtUpTimer);
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
