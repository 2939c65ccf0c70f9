// The Bus port: how a service consumes other agencies' events. Delivery is at least once and in
// order (the global log's order embedded; per case over Kafka), so every handler must be
// idempotent — which the backbone gets for free by deriving its reactions' event ids from the
// event they react to. One conformance suite (./testing/bus-conformance.ts) for every adapter.
// A bus may also carry facts that agency systems publish to it (Kafka's ingress topics): the
// optional `consumeIngress`; where it is absent, facts come over HTTP only.
import type { Agency, RecordedEvent } from '@nrm/contracts';
import type { EventFilter } from '@nrm/eventstore';

export type BusHandler = (event: RecordedEvent) => Promise<void>;

export type ConsumeOptions = {
  /** Durable consumer name: its position survives restarts (a Kafka consumer group). */
  consumer: string;
  filter?: EventFilter;
  handler: BusHandler;
  /**
   * Optional: takes a run of events that arrived together in one call (one transaction for the
   * audit archive), and must do exactly what `handler` would do for each of them in order. A
   * transport may use it (the embedded bus does; Kafka delivers one at a time through `handler`).
   * When it throws, the same events go through `handler` one by one, with its retries and
   * dead-lettering, so a batch fails no differently from its events.
   */
  handleBatch?: (events: readonly RecordedEvent[]) => Promise<void>;
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

/** One fact as an agency system sends it: the same shape as one fact of `POST /v1/<agency>/events`. */
export type IngressFact = { id: string; type: string; occurredAt?: string; caseId?: string; data: Record<string, unknown> };

export type FieldError = { field: string; message: string };

export type ParsedFact = { ok: true; fact: IngressFact } | { ok: false; errors: FieldError[] };

export type IngressMessage = {
  fact: IngressFact;
  /** Who sent it, as its authentication established (the access token's subject). */
  actor: string;
  traceparent: string | null;
};

/**
 * What a message says about its sender: the bearer token of its `authorization` header (null
 * when it has none or a malformed one), and when the broker wrote it (null when the topic's
 * timestamps are the producer's own, which prove nothing).
 */
export type IngressCredential = { token: string | null; appendedAt: Date | null };

/** Who the sender is, or why it may not publish there; a throw means it could not be decided now. */
export type IngressAuthentication = { ok: true; actor: string } | { ok: false; rule: string; detail: string };

/** What became of a fact; a rejected one is published with its rule, the others are in the store. */
export type IngressOutcome = { status: 'accepted' | 'duplicate' } | { status: 'rejected'; rule: string; detail: string; errors?: FieldError[] };

export type IngressOptions = {
  agency: Agency;
  /** Durable consumer name (a Kafka consumer group): its position survives restarts. */
  consumer: string;
  /**
   * Checks the sender before anything reads the value, as the HTTP edge checks a token before
   * the body. A refusal goes to the rejections topic; a throw (the key set is unreachable) is
   * retried like a store failure, because it is no fault of the sender's.
   */
  authenticate(credential: IngressCredential): Promise<IngressAuthentication>;
  /** Checks that a decoded value is a fact, with the same schema as the HTTP batch's facts. */
  parseFact(value: unknown): ParsedFact;
  /**
   * Records one fact. Refusing it is an outcome, not an error: a throw means it could not be
   * decided (the store failed), so the bus retries it and does not move past it.
   */
  handle(message: IngressMessage): Promise<IngressOutcome>;
  /** Called on each failed attempt; the fact is tried again after a capped backoff. */
  onRetry?: (error: unknown, attempt: number) => void;
  /** Called when the transport itself fails. */
  onError?: (error: unknown) => void;
};

export type IngressStatus = {
  consumer: string;
  state: 'running' | 'stopped';
  accepted: number;
  duplicates: number;
  rejected: number;
  retried: number;
};

export type IngressConsumer = {
  status(): IngressStatus;
  stop(): Promise<void>;
};

export interface Bus {
  readonly name: string;
  consume(options: ConsumeOptions): Consumer;
  /** Consumes the facts agency systems publish to the bus; absent on a bus they cannot publish to. */
  consumeIngress?(options: IngressOptions): IngressConsumer;
  close(): Promise<void>;
}
