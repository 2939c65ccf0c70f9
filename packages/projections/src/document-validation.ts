// The checks every adapter makes before a write reaches storage. The length limits keep a
// tag index entry (projection, partition, tag, sortKey, key) under PostgreSQL's btree row limit
// even in 4-byte UTF-8, so a long key fails here with a clear message, not deep in a commit.
import type { JsonValue } from '@nrm/contracts';
import { InvalidProjectionRequestError } from './errors.ts';
import type { DocumentPlacement } from './projection-store.ts';

const PROJECTION_NAME = /^[A-Za-z][A-Za-z0-9_.:-]{0,63}$/;
const MAX_KEY = 200;
const MAX_SORT_KEY = 200;
const MAX_PARTITION = 64;
const MAX_TAG = 64;
const MAX_TAGS = 32;

/** A placement as stored: tags distinct and in code-point order, so equal documents compare equal. */
export type StoredPlacement = { partition: string; sortKey: string; tags: string[] };

export function assertProjectionName(projection: string): void {
  if (typeof projection !== 'string' || !PROJECTION_NAME.test(projection)) {
    throw new InvalidProjectionRequestError(`projection name must match ${PROJECTION_NAME}; got ${JSON.stringify(projection)}`);
  }
}

export function assertKey(key: string): void {
  assertText('key', key, 1, MAX_KEY);
}

export function assertPartition(partition: string): void {
  assertText('partition', partition, 0, MAX_PARTITION);
}

export function assertTag(tag: string): void {
  assertText('tag', tag, 1, MAX_TAG);
}

export function storedPlacement(placement: DocumentPlacement): StoredPlacement {
  if (typeof placement !== 'object' || placement === null) throw new InvalidProjectionRequestError('a document needs a placement { partition, sortKey, tags? }');
  assertPartition(placement.partition);
  assertText('sortKey', placement.sortKey, 0, MAX_SORT_KEY);
  const tags = [...new Set(placement.tags ?? [])].sort(byCodePoint);
  if (tags.length > MAX_TAGS) throw new InvalidProjectionRequestError(`a document has at most ${MAX_TAGS} tags; got ${tags.length}`);
  for (const tag of tags) assertTag(tag);
  return { partition: placement.partition, sortKey: placement.sortKey, tags };
}

/** The stored text of a document; refuses values JSON cannot carry instead of storing `undefined`. */
export function documentText(doc: JsonValue): string {
  const text = JSON.stringify(doc) as string | undefined;
  if (text === undefined) throw new InvalidProjectionRequestError('a document must be a JSON value');
  return text;
}

/** Code-point order, the order SQLite's BINARY and PostgreSQL's "C" collations give UTF-8 text. */
export function byCodePoint(a: string, b: string): number {
  if (a === b) return 0;
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

function assertText(what: string, value: string, min: number, max: number): void {
  if (typeof value !== 'string' || value.length < min || value.length > max) {
    throw new InvalidProjectionRequestError(`${what} must be a string of ${min} to ${max} characters; got ${JSON.stringify(value)}`);
  }
  if (value.includes('\u0000')) throw new InvalidProjectionRequestError(`${what} must not contain NUL`);
}

export function assertCheckpoint(checkpoint: { position: number; version: number }): void {
  if (!Number.isSafeInteger(checkpoint?.position) || checkpoint.position < -1) {
    throw new InvalidProjectionRequestError(`checkpoint position must be an integer of at least -1; got ${checkpoint?.position}`);
  }
  if (!Number.isSafeInteger(checkpoint.version) || checkpoint.version < 0) {
    throw new InvalidProjectionRequestError(`checkpoint version must be a non-negative integer; got ${checkpoint.version}`);
  }
}
