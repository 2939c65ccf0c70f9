// A transaction's work runs synchronously. On SQLite the connection is shared with the event
// store, whose group commits open their own transactions: work that awaited something would let
// one of them start inside ours. A returned promise is therefore refused (and rolled back), and
// the transaction object refuses calls after the transaction ended, so late async writes fail loudly.
import { InvalidProjectionRequestError } from './errors.ts';

export function runSynchronousWork<Tx, T>(work: (tx: Tx) => T, tx: Tx): T {
  const result = work(tx);
  if (isThenable(result)) {
    // Its rejection has nowhere to go: it must not surface as an unhandled rejection.
    Promise.resolve(result).catch(() => undefined);
    throw new InvalidProjectionRequestError('transaction work must be synchronous; it returned a promise');
  }
  return result;
}

/** A flag the transaction's methods check, so a call after the end throws instead of writing outside it. */
export function transactionLifetime(): { assertActive(): void; end(): void } {
  let active = true;
  return {
    assertActive() {
      if (!active) throw new InvalidProjectionRequestError('this projection transaction has already ended');
    },
    end() {
      active = false;
    },
  };
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as { then?: unknown }).then === 'function';
}
