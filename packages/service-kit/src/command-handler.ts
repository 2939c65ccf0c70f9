// The one command-handling path (STYLE.md, after Emmett's handleCommand): load and fold the
// stream, decide, append expecting the revision the decision was made on, and retry only when
// another writer got there first. A caller that named the revision it saw (If-Match) is not
// retried for: the state it decided on is gone, so it gets a 412 and re-reads.
import { deriveId } from '@nrm/contracts';
import type { EventRegistry, NewEvent, RecordedEvent } from '@nrm/contracts';
import { PartialDuplicateError, WrongExpectedRevisionError } from '@nrm/eventstore';
import type { AppendResult, EventStore } from '@nrm/eventstore';
import { SpanStatusCode, context, trace } from '@opentelemetry/api';
import { fold } from './decider.ts';
import type { Command, Decider, DomainEvent } from './decider.ts';
import { ConcurrencyError } from './errors.ts';
import { envelopeEvents } from './event-envelope.ts';
import { formatTraceparent, parseTraceparent } from './trace-context.ts';

/** A stream's revision: its last event's, or 'no_stream' before the first event. */
export type StreamRevision = number | 'no_stream';

export type HandleCommandOptions<C extends Command, E extends DomainEvent, S> = {
  store: EventStore;
  stream: string;
  decider: Decider<C, E, S>;
  command: C;
  /** The revision the caller last saw (HTTP If-Match); a conflict with it is a 412, not retried. */
  expectedRevision?: StreamRevision;
  /** Upcasts what is read, and checks what is decided against the current schemas. */
  registry?: EventRegistry;
  /** Envelopes the decided events; by default from the command's metadata (event-envelope.ts). */
  toNewEvents?: (events: readonly E[], command: C) => NewEvent[];
  /** Retries after a conflict; 3 by default. */
  maxRetries?: number;
  /** The command id was chosen by the client (Idempotency-Key): a replay returns the first result. */
  replayable?: boolean;
};

export type HandleCommandResult<E, S> = {
  /** As recorded; empty when the decision was to do nothing. */
  events: RecordedEvent[];
  decided: E[];
  nextRevision: StreamRevision;
  state: S;
  /** Every proposed id was already stored (a replayed command): nothing was appended. */
  duplicate: boolean;
};

export const DEFAULT_MAX_RETRIES = 3;

export async function loadState<E extends DomainEvent, S>(
  store: EventStore,
  stream: string,
  decider: Pick<Decider<never, E, S>, 'initialState' | 'evolve'>,
  registry?: EventRegistry,
): Promise<{ state: S; revision: StreamRevision; recorded: RecordedEvent[] }> {
  const recorded = await store.readStream(stream);
  const current = registry ? recorded.map((event) => registry.upcast(event)) : recorded;
  // The store validated every payload on the way in; the registry lifted old versions to the current ones.
  const events = current.map((event) => ({ type: event.type, data: event.data }) as E);
  const last = recorded.at(-1);
  return { state: fold(decider, events, decider.initialState()), revision: last ? last.revision : 'no_stream', recorded };
}

/**
 * The events a command already wrote to this stream, found by their derived ids (event-envelope.ts):
 * a command replayed with the same id (a client's Idempotency-Key, a redelivered event) is
 * answered with what it did the first time instead of being decided again on a newer state.
 */
export function eventsOfCommand(recorded: readonly RecordedEvent[], commandId: string): RecordedEvent[] {
  const written: RecordedEvent[] = [];
  for (const event of recorded) {
    if (event.id === deriveId(commandId, `${written.length}:${event.type}`)) written.push(event);
  }
  return written;
}

const tracer = trace.getTracer('@nrm/service-kit');

/**
 * Handles a command inside its own span, a child of the request or the delivery it came from;
 * the events it records carry that span's trace context, so a consumer in another service
 * continues the same trace.
 */
export async function handleCommand<C extends Command, E extends DomainEvent, S>(options: HandleCommandOptions<C, E, S>): Promise<HandleCommandResult<E, S>> {
  const remote = parseTraceparent(options.command.metadata.traceparent ?? undefined);
  const parent = remote ? trace.setSpanContext(context.active(), remote) : context.active();
  return tracer.startActiveSpan(`handle ${options.command.type}`, { attributes: { 'nrm.stream': options.stream, 'nrm.command': options.command.type } }, parent, async (span) => {
    try {
      const traceparent = formatTraceparent(span.spanContext()) ?? options.command.metadata.traceparent;
      const result = await decideAndAppend({ ...options, command: { ...options.command, metadata: { ...options.command.metadata, traceparent } } });
      span.setAttributes({ 'nrm.events': result.events.length, 'nrm.duplicate': result.duplicate });
      return result;
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      throw error;
    } finally {
      span.end();
    }
  });
}

async function decideAndAppend<C extends Command, E extends DomainEvent, S>(options: HandleCommandOptions<C, E, S>): Promise<HandleCommandResult<E, S>> {
  const { store, stream, decider, command, registry, expectedRevision: seenByCaller } = options;
  const maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;
  const toNewEvents = options.toNewEvents ?? ((events: readonly E[], handled: C) => envelopeEvents(events, handled.metadata, registry));
  const pinned = seenByCaller !== undefined;

  // A command that opens its stream (the caller pinned 'no_stream': a fact opening a case of its
  // own) is decided on the initial state without reading the stream, which is empty unless the
  // command is replayed. Only a plain success is answered this way; a replay (every id stored),
  // a conflict or a refusal appended nothing and goes the usual way below, which reads the stream.
  if (seenByCaller === 'no_stream') {
    const opened = await openStream(options, toNewEvents);
    if (opened) return opened;
  }

  for (let attempt = 0; ; attempt++) {
    // 1. Load the stream and fold it into the current state; a replayed command is answered from the log.
    const { state, revision, recorded } = await loadState(store, stream, decider, registry);
    if (options.replayable) {
      const earlier = eventsOfCommand(recorded, command.metadata.commandId);
      if (earlier.length > 0) return { events: earlier, decided: [], nextRevision: revision, state, duplicate: true };
    }
    if (pinned && seenByCaller !== revision) {
      throw new ConcurrencyError({ stream, expected: seenByCaller, actual: revision, fromIfMatch: true });
    }

    // 2. Decide. A refusal throws a typed domain error here, before anything is written.
    const decided = decider.decide(command, state);
    if (decided.length === 0) return { events: [], decided, nextRevision: revision, state, duplicate: false };

    // 3. Append, expecting the revision the decision was made on.
    try {
      const newEvents = toNewEvents(decided, command);
      const appended = await appendInSpan(store, stream, newEvents, revision);
      return appendedResult(decider, state, decided, appended);
    } catch (error) {
      // 4. Retry only on a version conflict, a bounded number of times, and never for a pinned revision.
      if (!(error instanceof WrongExpectedRevisionError)) throw error;
      if (pinned || attempt >= maxRetries) {
        throw new ConcurrencyError({ stream, expected: revision, actual: error.actual, fromIfMatch: pinned, cause: error });
      }
    }
  }
}

/** What a decision that was appended answers: the events as stored and the state they lead to. */
function appendedResult<C extends Command, E extends DomainEvent, S>(decider: HandleCommandOptions<C, E, S>['decider'], state: S, decided: E[], appended: AppendResult): HandleCommandResult<E, S> {
  return { events: appended.events, decided, nextRevision: appended.nextRevision, state: fold(decider, decided, state), duplicate: appended.duplicate };
}

/** The append of a decision, in a span of its own. */
function appendInSpan(store: EventStore, stream: string, events: NewEvent[], expectedRevision: StreamRevision) {
  return tracer.startActiveSpan('append', { attributes: { 'nrm.stream': stream, 'nrm.events': events.length } }, async (span) => {
    try {
      return await store.append(stream, events, { expectedRevision });
    } finally {
      span.end();
    }
  });
}

/** The command decided on the initial state and appended expecting no stream; null unless that simply succeeded. */
async function openStream<C extends Command, E extends DomainEvent, S>(
  options: HandleCommandOptions<C, E, S>,
  toNewEvents: (events: readonly E[], command: C) => NewEvent[],
): Promise<HandleCommandResult<E, S> | null> {
  const { store, stream, decider, command } = options;
  const state = decider.initialState();
  let decided: E[];
  try {
    decided = decider.decide(command, state);
  } catch {
    return null;
  }
  if (decided.length === 0) return null;
  try {
    const newEvents = toNewEvents(decided, command);
    const appended = await appendInSpan(store, stream, newEvents, 'no_stream');
    if (appended.duplicate) return null;
    return appendedResult(decider, state, decided, appended);
  } catch (error) {
    if (error instanceof WrongExpectedRevisionError || error instanceof PartialDuplicateError) return null;
    throw error;
  }
}
