// A case's history as an auditor reads it: the archived events in causal order (a cause before
// its effects), the referral chain as a graph (nodes = events, edges = causation), and two ways
// to look back — what the backbone knew at a moment (`asOf`), and what one agency had received
// by then (`asKnownBy`). Pure: the route does the one archive query, this does the rest.
import type { Agency } from '@nrm/contracts';
import type { ArchivedEvent } from '../archive/archive-store.ts';

export type CaseGraph = {
  nodes: { id: string; type: string; agency: string; recordedAt: string }[];
  edges: { from: string; to: string }[];
};

export type CaseView = {
  /** Only events recorded (recordedAt) at or before this instant (milliseconds since the epoch). */
  asOf?: number;
  /** Only the events this agency had: its own, and the other agencies' events its own cite as their cause. */
  asKnownBy?: Agency;
};

/** Where an event's inclusion proof in the audit Merkle log is served. */
export function inclusionProofUrl(eventId: string): string {
  return `/v1/audit/log/proofs/inclusion?eventId=${encodeURIComponent(eventId)}`;
}

/** Earlier recordedAt first, then the archive's order; each time parsed once. */
function byRecordedThenSequence(events: readonly ArchivedEvent[]): ArchivedEvent[] {
  return events
    .map((archived) => ({ archived, at: Date.parse(archived.event.recordedAt) }))
    .sort((a, b) => a.at - b.at || a.archived.sequence - b.archived.sequence)
    .map(({ archived }) => archived);
}

/**
 * A topological order of the causation graph (Kahn's algorithm): among the events whose cause is
 * already placed, the earliest recorded goes next, ties broken by archive sequence. An event whose
 * cause is not in the case is a root. Agencies' clocks differ, so an effect may carry an earlier
 * recordedAt than its cause: it still comes after it. A causation cycle cannot come from a store
 * (a cause exists before its effect), but if a corrupted archive held one, its events follow in
 * time order rather than vanish.
 */
export function causalOrder(events: readonly ArchivedEvent[]): ArchivedEvent[] {
  const sorted = byRecordedThenSequence(events);
  const rank = new Map(sorted.map((archived, index) => [archived.event.id, index]));
  const effects = new Map<string, number[]>();
  const ready: number[] = [];
  sorted.forEach(({ event }, index) => {
    const cause = event.causationId;
    if (cause !== null && cause !== event.id && rank.has(cause)) {
      const list = effects.get(cause) ?? [];
      list.push(index);
      effects.set(cause, list);
    } else {
      ready.push(index);
    }
  });
  // `ready` holds ranks, kept sorted descending so the next event is popped from the end.
  ready.reverse();
  const placed = new Set<number>();
  const order: ArchivedEvent[] = [];
  while (ready.length > 0) {
    const index = ready.pop()!;
    placed.add(index);
    order.push(sorted[index]!);
    for (const effect of effects.get(sorted[index]!.event.id) ?? []) insertDescending(ready, effect);
  }
  if (order.length < sorted.length) order.push(...sorted.filter((_, index) => !placed.has(index)));
  return order;
}

function insertDescending(ranks: number[], rank: number): void {
  let low = 0;
  let high = ranks.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (ranks[middle]! > rank) low = middle + 1;
    else high = middle;
  }
  ranks.splice(low, 0, rank);
}

/**
 * What an agency had of the case: its own events, and every other agency's event that reached it —
 * one that an event of its own cites as its cause (the ReferralIssued its ReferralReceived cites, the
 * ReferralWithdrawn its ReferralWithdrawalReceived cites). Nothing further: the cause of a cause
 * belongs to the other agency's side of the chain and was never delivered to this one.
 */
export function knownBy(events: readonly ArchivedEvent[], agency: Agency): ArchivedEvent[] {
  const cited = new Set<string>();
  for (const { event } of events) if (event.agency === agency && event.causationId !== null) cited.add(event.causationId);
  return events.filter(({ event }) => event.agency === agency || cited.has(event.id));
}

export function caseGraph(ordered: readonly ArchivedEvent[]): CaseGraph {
  const present = new Set(ordered.map(({ event }) => event.id));
  return {
    nodes: ordered.map(({ event: { id, type, agency, recordedAt } }) => ({ id, type, agency, recordedAt })),
    edges: ordered.flatMap(({ event: { id, causationId } }) => (causationId !== null && causationId !== id && present.has(causationId) ? [{ from: causationId, to: id }] : [])),
  };
}

/** The case as the view sees it: `asOf` first (what existed then), then `asKnownBy` within it. */
export function caseHistory(archived: readonly ArchivedEvent[], view: CaseView = {}): { events: ArchivedEvent[]; graph: CaseGraph } {
  const { asOf, asKnownBy } = view;
  const then = asOf === undefined ? archived : archived.filter(({ event }) => Date.parse(event.recordedAt) <= asOf);
  const seen = asKnownBy === undefined ? then : knownBy(then, asKnownBy);
  const events = causalOrder(seen);
  return { events, graph: caseGraph(events) };
}
