// Catch-up then live, for the stores that have dense, commit-ordered positions: read the log
// up to the head as it was when the read began, remember that head as the watermark, then
// wait for the store to say something was appended (or for a fallback poll) and read on.
// Reading only up to the observed head means events of a filter's other types are scanned once.
import type { EventEmitter } from 'node:events';
import type { RecordedEvent } from '@nrm/contracts';
import type { ReadOptions, SubscribeOptions, Subscription } from './port.ts';

export type CatchUpSource = {
  readAll(options: ReadOptions): AsyncIterable<RecordedEvent>;
  headPosition(): Promise<number>;
  loadCheckpoint(name: string): Promise<number | undefined>;
  saveCheckpoint(name: string, position: number): Promise<void>;
  /** Resolves when an append may have happened after `position`, or after the fallback poll interval. */
  waitForAppend(position: number, signal: AbortSignal): Promise<void>;
  /** Aborted when the store closes: open subscriptions then end quietly instead of failing. */
  lifetime: AbortSignal;
};

export function catchUpSubscription(source: CatchUpSource, options: SubscribeOptions = {}): Subscription {
  const stop = new AbortController();
  const onOuterAbort = () => stop.abort();
  options.signal?.addEventListener('abort', onOuterAbort, { once: true });
  source.lifetime.addEventListener('abort', onOuterAbort, { once: true });
  if (options.signal?.aborted || source.lifetime.aborted) stop.abort();

  async function* events(): AsyncGenerator<RecordedEvent> {
    const stored = options.checkpoint === undefined ? undefined : await source.loadCheckpoint(options.checkpoint);
    let watermark = stored ?? options.after ?? -1;
    try {
      while (!stop.signal.aborted) {
        const head = await source.headPosition();
        if (head > watermark) {
          for await (const event of source.readAll({ after: watermark, to: head, filter: options.filter })) {
            if (stop.signal.aborted) return;
            yield event;
          }
          watermark = head;
          options.onCaughtUp?.(watermark);
          continue;
        }
        if (watermark >= 0) options.onCaughtUp?.(watermark);
        await source.waitForAppend(watermark, stop.signal);
      }
    } catch (error) {
      // A read cut short by closing the store or the subscription is an ending, not a failure.
      if (!stop.signal.aborted) throw error;
    } finally {
      options.signal?.removeEventListener('abort', onOuterAbort);
      source.lifetime.removeEventListener('abort', onOuterAbort);
    }
  }

  const iterator = events();
  return {
    [Symbol.asyncIterator]: () => iterator,
    async checkpoint(position: number) {
      if (options.checkpoint === undefined) throw new Error('this subscription was opened without a checkpoint name');
      await source.saveCheckpoint(options.checkpoint, position);
    },
    async close() {
      stop.abort();
      await iterator.return(undefined);
    },
  };
}

/** A wait that ends on the first of: a wake-up, the fallback poll interval, or the abort signal. */
export function waitForSignal(subscribe: (wake: () => void) => () => void, pollMs: number, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      unsubscribe();
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, pollMs);
    const unsubscribe = subscribe(done);
    signal.addEventListener('abort', done, { once: true });
  });
}

/**
 * The `waitForAppend` of a store that emits 'append' after each commit: wakes on the next
 * commit, or after `pollMs` so appends by other processes (which emit nothing here) are seen too.
 */
export function wakeOnAppend(appended: EventEmitter, pollMs: () => number): CatchUpSource['waitForAppend'] {
  return (_position, signal) =>
    waitForSignal(
      (wake) => {
        appended.once('append', wake);
        return () => appended.off('append', wake);
      },
      pollMs(),
      signal,
    );
}
