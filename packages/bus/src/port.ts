// The Bus port: how a service consumes other agencies' events. Delivery is at least once and in
// order (the global log's order embedded; per case over Kafka), so every handler must be
// idempotent — which the backbone gets for free by deriving its reactions' event ids from the
// event they react to. One conformance suite (./testing/bus-conformance.ts) for every adapter.
import type { RecordedEvent } from '@nrm/contracts';
import type { EventFilter } from '@nrm/eventstore';

export type BusHandler = (event: RecordedEvent) => Promise<void>;

export type ConsumeOptions = {
  /** Durable consumer name: its position survives restarts (a Kafka consumer group). */
  consumer: string;
  filter?: EventFilter;
  handler: BusHandler;
  /** Attempts for one event before it is dead-lettered; the default retries for about a minute. */
  maxAttempts?: number;
  /** Called once an event has failed every attempt; the consumer then moves on. */
  onDeadLetter?: (event: RecordedEvent, error: unknown) => void | Promise<void>;
  /** Called on each failed attempt that will be retried. */
  onRetry?: (event: RecordedEvent, error: unknown, attempt: number) => void;
  /** Called when the transport itself fails; the consumer resumes from its checkpoint. */
  onError?: (error: unknown) => void;
};

export type ConsumerStatus = {
  consumer: string;
  state: 'running' | 'stopped';
  /** Global position of the last event handled (or dead-lettered), -1 before the first. */
  position: number;
  handled: number;
  retried: number;
  deadLettered: number;
};

export type Consumer = {
  status(): ConsumerStatus;
  /** Resolves once the consumer has handled everything up to `position`; rejects after `timeoutMs`. */
  waitForPosition(position: number, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
};

export interface Bus {
  readonly name: string;
  consume(options: ConsumeOptions): Consumer;
  close(): Promise<void>;
}
