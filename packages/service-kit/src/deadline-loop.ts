// The loop behind every durable deadline (referral acceptance, handover acknowledgement): it
// learns the open deadlines from the log itself (a filtered subscription from the start, so a
// restart reads them again), sleeps until the earliest one (never longer than `maxSleepMs`, so a
// clock change or a missed wake-up is caught), and hands what is due to `fireDue`, one tick at a
// time. What opens and closes a deadline, and what firing records, belong to the caller.
import type { RecordedEvent } from '@nrm/contracts';
import type { EventFilter, EventStore } from '@nrm/eventstore';

export type DeadlineLoop = {
  /** Resolves when every deadline due by `now` has been handled, with how many were. */
  tick(now?: Date): Promise<number>;
  stop(): Promise<void>;
};

export type DeadlineLoopOptions = {
  store: EventStore;
  /** The events that open or close deadlines. */
  filter: EventFilter;
  learn(event: RecordedEvent): void;
  /** The earliest open deadline (epoch ms), or Infinity when none is open. */
  earliest(): number;
  /** Records whatever is due by `now`; answers how many it fired. */
  fireDue(now: Date): Promise<number>;
  clock?: () => Date;
  maxSleepMs?: number;
  onError?: (error: unknown) => void;
};

export function startDeadlineLoop(options: DeadlineLoopOptions): DeadlineLoop {
  const clock = options.clock ?? (() => new Date());
  const maxSleepMs = options.maxSleepMs ?? 60_000;
  const stop = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let ticking: Promise<number> = Promise.resolve(0);
  const subscription = options.store.subscribe({ filter: options.filter, signal: stop.signal });

  function schedule(): void {
    clearTimeout(timer);
    if (stop.signal.aborted) return;
    const earliest = options.earliest();
    const wait = Number.isFinite(earliest) ? Math.max(0, Math.min(maxSleepMs, earliest - clock().getTime())) : maxSleepMs;
    timer = setTimeout(() => void loop.tick().catch((error) => options.onError?.(error)), wait);
    timer.unref();
  }

  const learning = (async () => {
    for await (const event of subscription) {
      options.learn(event);
      schedule();
    }
  })().catch((error) => options.onError?.(error));

  const loop: DeadlineLoop = {
    tick(now = clock()) {
      ticking = ticking.then(() => options.fireDue(now)).finally(schedule);
      return ticking;
    },
    async stop() {
      stop.abort();
      clearTimeout(timer);
      await subscription.close();
      await learning;
      await ticking.catch(() => undefined);
    },
  };
  schedule();
  return loop;
}
