// Plans one group commit: given the appends that arrived together and what the store already
// holds (the ids and the stream heads they touch), decides per append whether it is written,
// is a duplicate, or is refused, and computes each written event's revision, position and
// hash link. Pure, so the SQLite and PostgreSQL adapters share one set of rules and the
// conformance suite proves them once.
import { GENESIS_HASH, hashedForm, sha256Hex } from '@nrm/contracts';
import type { NewEvent, RecordedEvent } from '@nrm/contracts';
import { InvalidAppendError, PartialDuplicateError, WrongExpectedRevisionError } from './errors.ts';
import type { AppendResult, ExpectedRevision } from './port.ts';

export type AppendRequest = {
  stream: string;
  events: readonly NewEvent[];
  expectedRevision: ExpectedRevision;
};

export type StreamHead = { revision: number; hash: string };

/** A row as the SQL adapters store it: indexed columns plus the exact text that was hashed. */
export type StoredRow = {
  position: number;
  id: string;
  stream: string;
  revision: number;
  type: string;
  agency: string;
  caseId: string | null;
  hashedText: string;
  hash: string;
};

export type AppendOutcome = { ok: true; result: AppendResult } | { ok: false; error: Error };

export type StoreLookups = {
  storedById: ReadonlyMap<string, RecordedEvent>;
  headByStream: ReadonlyMap<string, StreamHead>;
};

export function checkExpectedRevision(stream: string, expected: ExpectedRevision, head: StreamHead | undefined): void {
  const actual = head ? head.revision : 'no_stream';
  const matches =
    expected === 'any' ||
    (expected === 'no_stream' && head === undefined) ||
    (expected === 'stream_exists' && head !== undefined) ||
    (typeof expected === 'number' && head !== undefined && head.revision === expected);
  if (!matches) throw new WrongExpectedRevisionError(stream, expected, actual);
}

export function planBatch(
  requests: readonly AppendRequest[],
  lookups: StoreLookups,
  nextPosition: number,
  recordedAt: string,
  /** Told of each row as soon as it is planned (the SQLite pipeline starts writing a large batch early). */
  onRow?: (row: StoredRow) => void,
): { rows: StoredRow[]; events: RecordedEvent[]; outcomes: AppendOutcome[] } {
  // The heads this batch moves, over the looked-up ones (which may be a store's memory of
  // thousands of streams: copying them per batch cost more than a single append's planning).
  const moved = new Map<string, StreamHead>();
  const written = new Map<string, RecordedEvent>();
  const rows: StoredRow[] = [];
  const events: RecordedEvent[] = [];
  let position = nextPosition;

  const outcomes = requests.map((request): AppendOutcome => {
    const known = request.events.map((event) => written.get(event.id) ?? lookups.storedById.get(event.id));
    const knownCount = known.filter((event) => event !== undefined).length;
    if (knownCount === request.events.length) {
      const stored = known as RecordedEvent[];
      const last = stored[stored.length - 1]!;
      return { ok: true, result: { duplicate: true, events: stored, nextRevision: last.revision, position: last.position } };
    }
    if (knownCount > 0) {
      const ids = request.events.filter((_, index) => known[index] !== undefined).map((event) => event.id);
      return { ok: false, error: new PartialDuplicateError(request.stream, ids) };
    }
    let head = moved.get(request.stream) ?? lookups.headByStream.get(request.stream);
    try {
      checkExpectedRevision(request.stream, request.expectedRevision, head);
    } catch (error) {
      return { ok: false, error: error as Error };
    }
    const recorded: RecordedEvent[] = [];
    const firstRow = rows.length;
    for (const event of request.events) {
      const hashed = {
        ...event,
        stream: request.stream,
        revision: head ? head.revision + 1 : 0,
        recordedAt,
        prevHash: head ? head.hash : GENESIS_HASH,
      };
      let hashedText: string;
      try {
        hashedText = hashedForm(hashed);
      } catch (error) {
        // A payload with no JSON form (a BigInt, a function, a cycle) passes the envelope's schema
        // and is found only here: it refuses its own append, not the others planned with it.
        for (const row of rows.splice(firstRow)) written.delete(row.id);
        position = nextPosition + rows.length;
        return { ok: false, error: new InvalidAppendError(`an event of the append to ${request.stream} cannot be hashed: ${(error as Error).message}`) };
      }
      const hash = sha256Hex(hashedText);
      const event_: RecordedEvent = { ...hashed, position, hash };
      const row: StoredRow = { position, id: event.id, stream: request.stream, revision: hashed.revision, type: event.type, agency: event.agency, caseId: event.caseId, hashedText, hash };
      rows.push(row);
      onRow?.(row);
      recorded.push(event_);
      written.set(event.id, event_);
      head = { revision: hashed.revision, hash };
      position++;
    }
    moved.set(request.stream, head!);
    events.push(...recorded);
    return { ok: true, result: { duplicate: false, events: recorded, nextRevision: head!.revision, position: position - 1 } };
  });
  return { rows, events, outcomes };
}
