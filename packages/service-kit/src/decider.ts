// Aggregates are deciders (DESIGN.md): three pure functions and no I/O. Time and ids reach
// `decide` only through the command's metadata, so a decision can be replayed and tested.
import type { Agency } from '@nrm/contracts';

/** What a decider emits and folds: the payload of an event, without its envelope. */
export type DomainEvent<Type extends string = string, Data extends Record<string, unknown> = Record<string, unknown>> = {
  type: Type;
  data: Data;
  /** The event this one answers, when it is not the command's own cause (an acceptance cites the referral). */
  causationId?: string | null;
};

/** Everything the envelope of the resulting events needs that is not the decision itself. */
export type CommandMetadata = {
  /** Event ids derive from it: a command handled twice proposes the same ids, and the store keeps one copy. */
  commandId: string;
  /** When the command was issued (ISO 8601, UTC, milliseconds); the events' occurredAt. */
  now: string;
  /** The authenticated subject. */
  actor: string;
  /** The agency that owns the stream written to. */
  agency: Agency;
  caseId: string | null;
  causationId: string | null;
  traceparent: string | null;
};

export type Command<Type extends string = string, Data = unknown> = {
  type: Type;
  data: Data;
  metadata: CommandMetadata;
};

export type Decider<C, E, S> = {
  initialState(): S;
  evolve(state: S, event: E): S;
  /** Throws a typed domain error (DomainRuleError, IllegalStateError, …) to refuse the command. */
  decide(command: C, state: S): E[];
};

export function fold<E, S>(decider: Pick<Decider<never, E, S>, 'evolve'>, events: Iterable<E>, state: S): S {
  let current = state;
  for (const event of events) current = decider.evolve(current, event);
  return current;
}
