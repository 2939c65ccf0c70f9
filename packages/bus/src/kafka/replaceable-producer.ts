// A producer that is made when first needed and replaced after a failure (ADR 0012): an
// idempotent producer out of step with a restarted broker is refused on every retry, so whoever
// sees a send fail retires it, and the next send connects a fresh one (a new producer id).
import type { Producer } from 'kafkajs';

export type ReplaceableProducer = {
  /** The current producer, connected; a fresh one when none is (first use, or after `retire`). */
  connected(): Promise<Producer>;
  /** Disconnects the current producer, if any; the next `connected()` makes another. */
  retire(): Promise<void>;
};

export function replaceableProducer(newProducer: () => Producer): ReplaceableProducer {
  let producer: Producer | null = null;
  return {
    async connected() {
      if (producer) return producer;
      const fresh = newProducer();
      await fresh.connect();
      producer = fresh;
      return fresh;
    },
    async retire() {
      const retired = producer;
      producer = null;
      await retired?.disconnect().catch(() => undefined);
    },
  };
}
