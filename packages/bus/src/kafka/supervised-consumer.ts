// A Kafka consumer that does not stay down. kafkajs restarts a crashed consumer only when it
// judges the error retriable; after a broker restart it can crash for good (the group coordinator
// not found or still loading, retries exhausted on a non-retriable cause) and a service would run on
// without its inbox, silently. This supervisor starts a fresh consumer, with a capped backoff,
// whenever kafkajs gives up on one or it cannot start at all, until it is stopped. Offsets are the
// group's, so the fresh consumer resumes where the last commit left off; handlers are idempotent.
import type { Consumer, ConsumerRunConfig, Kafka } from 'kafkajs';

export type SupervisedConsumer = {
  /** How many times a consumer was started again after kafkajs gave up on it. */
  restarts(): number;
  stop(): Promise<void>;
};

export type SuperviseOptions = {
  groupId: string;
  topics: string[];
  /** The run config of each consumer started, given that consumer (for seek, pause, commitOffsets). */
  run: (consumer: Consumer) => ConsumerRunConfig;
  onError?: (error: unknown) => void;
  /** First backoff before a fresh consumer (default 500 ms), doubling up to maxBackoffMs (default 15 s). */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
};

export function superviseConsumer(kafka: Kafka, options: SuperviseOptions): SupervisedConsumer {
  const initial = options.initialBackoffMs ?? 500;
  const max = options.maxBackoffMs ?? 15_000;
  let current: Consumer | null = null;
  let stopping = false;
  let failures = 0;
  let restarts = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let starting: Promise<void> = Promise.resolve();
  let retiring: Promise<void> = Promise.resolve();

  /** Replaces `failed` once; a later crash report of the same consumer finds it replaced already. */
  function replace(failed: Consumer): void {
    if (stopping || current !== failed) return;
    current = null;
    failures++;
    retiring = failed.disconnect().catch(() => undefined);
    const delay = Math.min(max, initial * 2 ** Math.min(failures - 1, 10));
    timer = setTimeout(() => {
      starting = (async () => {
        await retiring;
        if (stopping) return;
        restarts++;
        await startOne();
      })();
    }, delay);
  }

  async function startOne(): Promise<void> {
    const consumer = kafka.consumer({ groupId: options.groupId, sessionTimeout: 10_000, heartbeatInterval: 1000 });
    current = consumer;
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      options.onError?.(payload.error);
      // restart: true means kafkajs itself starts the runner again after its own backoff.
      if (!payload.restart) replace(consumer);
    });
    // A consumer that joined its group works again: the next failure starts from the first backoff.
    consumer.on(consumer.events.GROUP_JOIN, () => {
      failures = 0;
    });
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: options.topics, fromBeginning: true });
      await consumer.run(options.run(consumer));
    } catch (error) {
      if (stopping) return;
      options.onError?.(error);
      replace(consumer);
    }
  }

  starting = startOne();

  return {
    restarts: () => restarts,
    async stop() {
      stopping = true;
      clearTimeout(timer);
      await starting;
      await retiring;
      await current?.disconnect().catch(() => undefined);
      current = null;
    },
  };
}
