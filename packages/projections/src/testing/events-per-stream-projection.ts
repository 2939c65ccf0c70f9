// An example projection small enough to check by hand: one document per stream, in its agency's
// partition, recording every revision applied. A revision applied twice or skipped shows up as a
// list that is not exactly 0, 1, 2, …, which is what the runtime's exactly-once tests look for.
import type { EventFilter } from '@nrm/eventstore';
import type { Projection } from '../projection.ts';

export type StreamSummary = { stream: string; events: number; revisions: number[]; lastPosition: number; lastType: string };

export function eventsPerStreamProjection(options: { name?: string; version?: number; filter?: EventFilter } = {}): Projection {
  return {
    name: options.name ?? 'test.events-per-stream',
    version: options.version ?? 1,
    filter: options.filter ?? {},
    apply(event, tx) {
      const current = tx.get(event.stream)?.doc as StreamSummary | undefined;
      const summary: StreamSummary = {
        stream: event.stream,
        events: (current?.events ?? 0) + 1,
        revisions: [...(current?.revisions ?? []), event.revision],
        lastPosition: event.position,
        lastType: event.type,
      };
      tx.put(event.stream, summary, { partition: event.agency, sortKey: event.stream, tags: [event.type] });
    },
  };
}
