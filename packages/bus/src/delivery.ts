// Delivering one event to a handler: retry with capped exponential backoff, and after the last
// attempt hand it to the dead-letter callback so one poisonous event cannot stall a consumer
// forever. Nothing is lost by that: the event stays in the log, and the consumer can be replayed.
import type { RecordedEvent } from '@nrm/contracts';
import type { BusHandler } from './port.ts';

export const DEFAULT_MAX_ATTEMPTS = 12;

export function backoffMs(attempt: number): number {
  return Math.min(5000, 25 * 2 ** (attempt - 1));
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

export type DeliveryOutcome = 'handled' | 'dead-lettered' | 'aborted';

export async function deliver(
  event: RecordedEvent,
  handler: BusHandler,
  options: {
    maxAttempts: number;
    signal: AbortSignal;
    onRetry?: (event: RecordedEvent, error: unknown, attempt: number) => void;
    onDeadLetter?: (event: RecordedEvent, error: unknown) => void | Promise<void>;
  },
): Promise<{ outcome: DeliveryOutcome; attempts: number }> {
  for (let attempt = 1; ; attempt++) {
    if (options.signal.aborted) return { outcome: 'aborted', attempts: attempt - 1 };
    try {
      await handler(event);
      return { outcome: 'handled', attempts: attempt };
    } catch (error) {
      if (attempt >= options.maxAttempts) {
        await Promise.resolve(options.onDeadLetter?.(event, error)).catch(() => undefined);
        return { outcome: 'dead-lettered', attempts: attempt };
      }
      options.onRetry?.(event, error, attempt);
      await sleep(backoffMs(attempt), options.signal);
    }
  }
}
