// ChainVerifier's checks (hash-chain.ts) split by ranges of positions, so that one store's
// chains are checked on several threads (`nrm verify`, SQLite verifyAll): each range checks what it can alone and
// leaves its first row and each stream's first row pending; `stitch` then checks those against
// the ranges before, in order, and finds the break ChainVerifier would have reported first.
// Imports the hash chain alone: scan threads load this module without every schema of the contracts.
import { GENESIS_HASH, tailFields } from './hash-chain.ts';
import type { ChainBreak, ChainFields } from './hash-chain.ts';

export type { ChainFields };

/** The chain members of a whole stored text; null when it is not JSON. `idAt` as for `tailFields`. */
export function chainFieldsOf(text: string, idAt?: number): ChainFields | null {
  const fromTail = tailFields(text, idAt);
  if (fromTail) return fromTail;
  try {
    const parsed = JSON.parse(text) as ChainFields;
    return { id: parsed.id, prevHash: parsed.prevHash, revision: parsed.revision, stream: parsed.stream };
  } catch {
    return null;
  }
}

/** A stored row as the chain checks see it; `fields` null when the text is not JSON. */
export type StoredLink = { position: number; stream: string; revision: number; hash: string; hashHolds: boolean; fields: ChainFields | null };

/**
 * A row whose checks need what came before its range: each stream's first row in the range (its
 * revision and prevHash follow the stream's last event in earlier ranges). The first of them is
 * the range's first row, whose position also follows the previous range's last.
 */
export type PendingLink = { position: number; stream: string; revision: number; eventId: string; prevHash: string };

/**
 * Strings of one column as one text and where each ends. A range hands over about one pending
 * row and one stream end per stream; as objects, posting them from the scan threads and
 * collecting them after was most of the main thread's time in `nrm verify` (a million events:
 * 330k rows of small strings to copy, promote and sweep), as columns they are a few texts.
 */
export type TextColumn = { text: string; ends: Uint32Array };

/**
 * A text column built as its strings come. They are joined a few hundred at a time: the strings
 * a scan reads out of a stored text are slices that keep the whole text alive, and held until a
 * range ends they were promoted to the old generation by the megabyte.
 */
class TextColumnBuilder {
  private readonly chunks: string[] = [];
  private part: string[] = [];
  private readonly ends: number[] = [];
  private end = 0;

  push(value: string): void {
    this.part.push(value);
    this.ends.push((this.end += value.length));
    if (this.part.length === 256) {
      this.chunks.push(this.part.join(''));
      this.part = [];
    }
  }

  result(): TextColumn {
    return { text: this.chunks.join('') + this.part.join(''), ends: Uint32Array.from(this.ends) };
  }
}

export function textColumn(values: Iterable<string>): TextColumn {
  const column = new TextColumnBuilder();
  for (const value of values) column.push(value);
  return column.result();
}

export function textAt(column: TextColumn, i: number): string {
  return column.text.slice(i === 0 ? 0 : column.ends[i - 1], column.ends[i]);
}

/**
 * The pending rows of a range, by column. `genesis`: 1 where the prevHash is the genesis hash
 * (the usual first event of a stream), which `prevHashes` then does not write out again.
 */
export type PendingLinks = { positions: Float64Array; revisions: Float64Array; genesis: Uint8Array; streams: TextColumn; eventIds: TextColumn; prevHashes: TextColumn };

/**
 * Each stream's last revision and hash in a range (up to its first break), in the order of the
 * pending rows: the i-th is the stream whose first row in the range is the i-th pending row.
 */
export type StreamEnds = { revisions: Float64Array; hashes: TextColumn };

/** One range's chain checks: the first break the range shows by itself, and what stitching it to the others needs. */
export type RangeLinks = {
  broken: ChainBreak | null;
  pending: PendingLinks;
  lastByStream: StreamEnds;
  lastPosition: number | null;
};

export function pendingLinkAt(pending: PendingLinks, i: number): PendingLink {
  return {
    position: pending.positions[i]!,
    stream: textAt(pending.streams, i),
    revision: pending.revisions[i]!,
    eventId: textAt(pending.eventIds, i),
    prevHash: pending.genesis[i] === 1 ? GENESIS_HASH : textAt(pending.prevHashes, i),
  };
}

/** The streams a range ends, by name. */
export function streamsEnded(range: RangeLinks): string[] {
  const { positions, streams } = range.pending;
  return Array.from(positions, (_, i) => textAt(streams, i));
}

/** The pending rows as they are found, a column each. */
class PendingColumns {
  readonly positions: number[] = [];
  readonly revisions: number[] = [];
  readonly genesis: number[] = [];
  readonly streams = new TextColumnBuilder();
  readonly eventIds = new TextColumnBuilder();
  readonly prevHashes = new TextColumnBuilder();

  /** `stream` is the row's column, which the checks found equal to the text's. */
  push(position: number, stream: string, fields: ChainFields): void {
    const genesis = fields.prevHash === GENESIS_HASH;
    this.positions.push(position);
    this.revisions.push(fields.revision);
    this.genesis.push(genesis ? 1 : 0);
    this.streams.push(stream);
    // Parsed texts (not laid out canonically) may hold other values where strings belong.
    this.eventIds.push(String(fields.id));
    this.prevHashes.push(genesis ? '' : String(fields.prevHash));
  }

  result(): PendingLinks {
    return {
      positions: Float64Array.from(this.positions),
      revisions: Float64Array.from(this.revisions),
      genesis: Uint8Array.from(this.genesis),
      streams: this.streams.result(),
      eventIds: this.eventIds.result(),
      prevHashes: this.prevHashes.result(),
    };
  }
}

/**
 * ChainVerifier's checks, in its order (readable, hash, columns, positions, revision, prevHash),
 * on one range of positions: what depends on earlier ranges is left pending for `stitch`.
 */
export class RangeChecker {
  private readonly lastByStream = new Map<string, { revision: number; hash: string }>();
  private lastPosition: number | null = null;
  private broken: ChainBreak | null = null;
  private readonly pending = new PendingColumns();

  check(stored: StoredLink): void {
    if (this.broken) return;
    const fail = (problem: ChainBreak['problem'], detail: string, eventId = '?'): void => {
      this.broken = { position: stored.position, stream: stored.stream, revision: stored.revision, eventId, problem, detail };
    };
    const body = stored.fields;
    if (body === null) return fail('unreadable', 'the stored event is not valid JSON');
    if (!stored.hashHolds) return fail('hash-mismatch', 'the stored event does not hash to its recorded hash', body.id);
    if (body.stream !== stored.stream || body.revision !== stored.revision) {
      return fail('column-mismatch', `indexed as ${stored.stream}@${stored.revision} but hashed as ${body.stream}@${body.revision}`, body.id);
    }
    const last = this.lastPosition;
    if (last !== null) {
      if (stored.position <= last) return fail('position-order', `position ${stored.position} after ${last}`, body.id);
      if (stored.position !== last + 1) return fail('position-gap', `positions ${last + 1}..${stored.position - 1} are missing`, body.id);
    }
    // Keyed by the column's string (equal to the text's, checked above): a slice of the text would keep it alive.
    const previous = this.lastByStream.get(stored.stream);
    if (previous) {
      if (body.revision !== previous.revision + 1) return fail('revision-gap', `revision ${body.revision} where ${previous.revision + 1} was expected`, body.id);
      if (body.prevHash !== previous.hash) return fail('prev-hash-mismatch', 'prevHash does not match the previous event of the stream', body.id);
      previous.revision = body.revision;
      previous.hash = stored.hash;
    } else {
      // A stream's first row in the range (the range's first row is the first of them): pending,
      // and its entry in lastByStream is added now, so the stream ends are in the order of the pending rows.
      this.pending.push(stored.position, stored.stream, body);
      this.lastByStream.set(stored.stream, { revision: body.revision, hash: stored.hash });
    }
    this.lastPosition = stored.position;
  }

  result(): RangeLinks {
    const ends = [...this.lastByStream.values()];
    return {
      broken: this.broken,
      pending: this.pending.result(),
      lastByStream: { revisions: Float64Array.from(ends, (last) => last.revision), hashes: textColumn(ends.map((last) => last.hash)) },
      lastPosition: this.lastPosition,
    };
  }
}

/** The first break of a store's chains, from its ranges in position order, positions dense from 0. */
export function stitch(ranges: readonly RangeLinks[]): ChainBreak | null {
  // Where each stream's last event so far is: range * 2^32 + its place in that range's stream ends
  // (which is the place of its first row among the range's pending rows).
  const lastByStream = new Map<string, number>();
  let lastPosition: number | null = null;
  for (const [at, range] of ranges.entries()) {
    const { positions, revisions, genesis, streams } = range.pending;
    // Strings are cut out of the columns only where a row needs them (every row that fails).
    const fail = (i: number, problem: ChainBreak['problem'], detail: string): ChainBreak => {
      const row = pendingLinkAt(range.pending, i);
      return { position: row.position, stream: row.stream, revision: row.revision, eventId: row.eventId, problem, detail };
    };
    // Each pending row's stream, cut once: checked here, then remembered as the stream's end.
    const names: string[] = [];
    // Rows before the range's own first break were clean there; the earliest that fails here is the first break.
    for (let i = 0; i < positions.length; i++) {
      const position = positions[i]!;
      if (range.broken && position >= range.broken.position) break;
      // The range's first row.
      if (i === 0) {
        if (lastPosition === null ? position !== 0 : position <= lastPosition) return fail(i, 'position-order', `position ${position} after ${lastPosition ?? 'the start'}`);
        if (lastPosition !== null && position !== lastPosition + 1) return fail(i, 'position-gap', `positions ${lastPosition + 1}..${position - 1} are missing`);
      }
      const stream = textAt(streams, i);
      names.push(stream);
      const where = lastByStream.get(stream);
      const previous = where === undefined ? undefined : ranges[Math.floor(where / 2 ** 32)]!.lastByStream;
      const end = where === undefined ? 0 : where % 2 ** 32;
      const revision = revisions[i]!;
      const expectedRevision = previous ? previous.revisions[end]! + 1 : 0;
      if (revision !== expectedRevision) return fail(i, 'revision-gap', `revision ${revision} where ${expectedRevision} was expected`);
      const fromGenesis = genesis[i] === 1;
      const holds = previous ? (fromGenesis ? GENESIS_HASH : textAt(range.pending.prevHashes, i)) === textAt(previous.hashes, end) : fromGenesis;
      if (!holds) return fail(i, 'prev-hash-mismatch', 'prevHash does not match the previous event of the stream');
    }
    if (range.broken) return range.broken;
    // Unbroken, so every pending row was checked above and named.
    for (let i = 0; i < names.length; i++) lastByStream.set(names[i]!, at * 2 ** 32 + i);
    lastPosition = range.lastPosition ?? lastPosition;
  }
  return null;
}
