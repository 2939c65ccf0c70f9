// The tamper-evident chain: each event's hash is SHA-256 over the RFC 8785 form of the event
// (without `hash` and without the store-local `position`), and that form includes the previous
// event's hash in the same stream. Changing, removing or reordering an event breaks a link.
import { hash } from 'node:crypto';
import { canonicalLayout, canonicalize } from './canonical-json.ts';
import type { HashedEvent, RecordedEvent } from './envelope.ts';

/** The `prevHash` of the first event of every stream. */
export const GENESIS_HASH = '0'.repeat(64);

/** The members the hash covers. */
const HASHED_MEMBERS = ['actor', 'agency', 'caseId', 'causationId', 'data', 'id', 'occurredAt', 'prevHash', 'recordedAt', 'revision', 'schemaVersion', 'stream', 'traceparent', 'type'] as const;

/**
 * The exact bytes an event's hash covers: `canonicalize` of the event without `hash` and
 * `position`. Stores keep this text so verification re-hashes what was hashed.
 */
export function hashedForm(event: HashedEvent): string {
  // The usual event: every envelope member a string, null or a finite number. One object literal
  // in sorted member order with the payload laid out canonically is then written by a single
  // JSON.stringify, which leaves out undefined members as the general path does.
  if (hasPlainEnvelope(event)) {
    const data = canonicalLayout(event.data);
    if (data !== null) {
      return JSON.stringify({
        actor: event.actor,
        agency: event.agency,
        caseId: event.caseId,
        causationId: event.causationId,
        data: data.layout,
        id: event.id,
        occurredAt: event.occurredAt,
        prevHash: event.prevHash,
        recordedAt: event.recordedAt,
        revision: event.revision,
        schemaVersion: event.schemaVersion,
        stream: event.stream,
        traceparent: event.traceparent,
        type: event.type,
      });
    }
  }
  const hashed: Record<string, unknown> = {};
  for (const member of HASHED_MEMBERS) {
    const value = event[member];
    if (value !== undefined) hashed[member] = value;
  }
  return canonicalize(hashed);
}

function isText(value: unknown): boolean {
  return value === null || value === undefined || typeof value === 'string';
}

function isFinitePlace(value: unknown): boolean {
  return value === undefined || (typeof value === 'number' && Number.isFinite(value));
}

function hasPlainEnvelope(event: HashedEvent): boolean {
  return (
    isText(event.actor) &&
    isText(event.agency) &&
    isText(event.caseId) &&
    isText(event.causationId) &&
    isText(event.id) &&
    isText(event.occurredAt) &&
    isText(event.prevHash) &&
    isText(event.recordedAt) &&
    isText(event.stream) &&
    isText(event.traceparent) &&
    isText(event.type) &&
    isFinitePlace(event.revision) &&
    isFinitePlace(event.schemaVersion)
  );
}

export function sha256Hex(text: string): string {
  return hash('sha256', text, 'hex');
}

// The members after `data` in the canonical form are the envelope's own, in a fixed order and
// with formats that cannot contain a quote, so the last `,"id":"` starts them. Reading the chain
// fields from that tail keeps verification from parsing every payload; anything that does not
// look exactly as expected falls back to a full parse.
export type ChainFields = { id: string; prevHash: string; revision: number; stream: string };

/** The top-level `id` member of a canonical text, which starts the envelope's own tail. */
export const ID_MEMBER = ',"id":"';

/**
 * Where the tail starts: the last `,"id":"`. A scan that reads several things from the tail finds
 * it once and hands it on, because V8's lastIndexOf is a plain loop in C++ and was 7% of
 * `nrm verify`'s scan threads when each reader looked it up again.
 */
export function idMemberAt(text: string): number {
  return text.lastIndexOf(ID_MEMBER);
}

/**
 * The chain members read from the tail of a canonical hashed text, or null when it is not laid
 * out so (parse instead). `start` is `idMemberAt(text)`, passed when the caller has it.
 */
export function tailFields(text: string, start = idMemberAt(text)): ChainFields | null {
  if (start < 0 || !text.startsWith('","occurredAt":"', start + 33)) return null;
  const prevKey = text.indexOf('","prevHash":"', start + 49);
  if (prevKey < 0) return null;
  const prevHash = text.slice(prevKey + 14, prevKey + 78);
  // prevHash needs no format check: it is compared with the previous event's computed hash.
  if (!text.startsWith('","recordedAt":"', prevKey + 78)) return null;
  const revisionKey = text.indexOf('","revision":', prevKey + 94);
  if (revisionKey < 0) return null;
  const revisionEnd = text.indexOf(',', revisionKey + 13);
  const revisionText = text.slice(revisionKey + 13, revisionEnd);
  const revision = Number(revisionText);
  if (String(revision) !== revisionText || !text.startsWith(',"schemaVersion":', revisionEnd)) return null;
  const streamKey = text.indexOf(',"stream":"', revisionEnd + 17);
  if (streamKey < 0) return null;
  const streamEnd = text.indexOf('"', streamKey + 11);
  const stream = text.slice(streamKey + 11, streamEnd);
  if (stream.includes('\\') || !text.startsWith('","traceparent":', streamEnd)) return null;
  return { id: text.slice(start + 7, start + 33), prevHash, revision, stream };
}

function chainFieldsOf(hashedText: string): ChainFields {
  const fromTail = tailFields(hashedText);
  if (fromTail) return fromTail;
  const parsed = JSON.parse(hashedText) as HashedEvent;
  return { id: parsed.id, prevHash: parsed.prevHash, revision: parsed.revision, stream: parsed.stream };
}

export function hashEvent(event: HashedEvent): string {
  return sha256Hex(hashedForm(event));
}

/** Where a chain is broken, and how. Positions let an operator find the row. */
export type ChainBreak = {
  position: number;
  stream: string;
  revision: number;
  eventId: string;
  problem: 'hash-mismatch' | 'prev-hash-mismatch' | 'revision-gap' | 'position-gap' | 'position-order' | 'unreadable' | 'column-mismatch';
  detail: string;
};

export type ChainVerification =
  | { ok: true; checked: number; streams: number; lastPosition: number | null }
  | { ok: false; checked: number; firstBreak: ChainBreak };

/**
 * Checks events in position order as they are read, remembering each stream's last hash. The
 * stores feed it the stored text, so it re-hashes the bytes on disk rather than a re-serialisation.
 */
export class ChainVerifier {
  private readonly lastByStream = new Map<string, { revision: number; hash: string }>();
  private lastPosition: number | null = null;
  private checked = 0;
  private broken: ChainBreak | null = null;

  private readonly options: { densePositions: boolean; firstPosition?: number };

  constructor(options: { densePositions: boolean; firstPosition?: number }) {
    this.options = options;
  }

  /** Feeds one stored event; returns false once the chain is broken (later calls are ignored). */
  check(stored: { position: number; stream: string; revision: number; hashedText: string; hash: string }): boolean {
    if (this.broken) return false;
    const fail = (problem: ChainBreak['problem'], detail: string, eventId = '?'): false => {
      this.broken = { position: stored.position, stream: stored.stream, revision: stored.revision, eventId, problem, detail };
      return false;
    };
    let body: ChainFields;
    try {
      body = chainFieldsOf(stored.hashedText);
    } catch {
      return fail('unreadable', 'the stored event is not valid JSON');
    }
    if (sha256Hex(stored.hashedText) !== stored.hash) {
      return fail('hash-mismatch', 'the stored event does not hash to its recorded hash', body.id);
    }
    if (body.stream !== stored.stream || body.revision !== stored.revision) {
      return fail('column-mismatch', `indexed as ${stored.stream}@${stored.revision} but hashed as ${body.stream}@${body.revision}`, body.id);
    }
    const expectedFirst = this.options.firstPosition ?? 0;
    if (this.lastPosition === null ? this.options.densePositions && stored.position !== expectedFirst : stored.position <= this.lastPosition) {
      return fail('position-order', `position ${stored.position} after ${this.lastPosition ?? 'the start'}`, body.id);
    }
    if (this.options.densePositions && this.lastPosition !== null && stored.position !== this.lastPosition + 1) {
      return fail('position-gap', `positions ${this.lastPosition + 1}..${stored.position - 1} are missing`, body.id);
    }
    const previous = this.lastByStream.get(body.stream);
    const expectedRevision = previous ? previous.revision + 1 : 0;
    if (body.revision !== expectedRevision) {
      return fail('revision-gap', `revision ${body.revision} where ${expectedRevision} was expected`, body.id);
    }
    const expectedPrev = previous ? previous.hash : GENESIS_HASH;
    if (body.prevHash !== expectedPrev) {
      return fail('prev-hash-mismatch', 'prevHash does not match the previous event of the stream', body.id);
    }
    this.lastByStream.set(body.stream, { revision: body.revision, hash: stored.hash });
    this.lastPosition = stored.position;
    this.checked++;
    return true;
  }

  result(): ChainVerification {
    if (this.broken) return { ok: false, checked: this.checked, firstBreak: this.broken };
    return { ok: true, checked: this.checked, streams: this.lastByStream.size, lastPosition: this.lastPosition };
  }
}

/** Re-derives the hash of an event as read (for consumers that hold the event, not the stored text). */
export function verifyRecordedEvent(event: RecordedEvent): boolean {
  return hashEvent(event) === event.hash;
}
