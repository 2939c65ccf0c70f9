// Identifiers: every event id and case id is a ULID, so ids sort by creation time and can be
// made without coordination. Reactions derive their ids deterministically from the event they
// react to, so a redelivered event produces the same id and the store's idempotency drops it.
import { createHash } from 'node:crypto';
import { monotonicFactory } from 'ulid';
import { z } from 'zod';
import { pooledRandomUnit } from './random-pool.ts';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export const ULID_PATTERN = /^[0-7][0-9A-HJKMNP-TV-Z]{25}$/;

export const UlidSchema = z.string().regex(ULID_PATTERN, 'must be a ULID (26 Crockford base32 characters)');
export type Ulid = z.infer<typeof UlidSchema>;

// The ulid package's own source of randomness asks the OS for one byte per character (16 calls
// per id), which profiles showed as a good part of the CPU an ingested fact costs: the same
// cryptographic bytes come from the pool instead, each byte giving one uniform character.
const nextUlid = monotonicFactory(pooledRandomUnit);

/** A fresh ULID; `now` lets callers (and tests) pin the time component. */
export function newId(now: number = Date.now()): Ulid {
  return nextUlid(now);
}

/**
 * The id of the event that `purpose` produces in reaction to `sourceId`: the same inputs always
 * give the same id. It keeps the source's time component, so derived ids still sort near their
 * cause, and takes its random part from a hash of both inputs.
 */
export function deriveId(sourceId: Ulid, purpose: string): Ulid {
  const digest = createHash('sha256').update(sourceId).update('\u0000').update(purpose).digest();
  let random = '';
  for (let i = 0; i < 16; i++) random += CROCKFORD[digest[i]! & 31];
  return sourceId.slice(0, 10) + random;
}

/** The creation time encoded in a ULID, in epoch milliseconds. */
export function ulidTime(id: Ulid): number {
  let time = 0;
  for (const char of id.slice(0, 10)) time = time * 32 + CROCKFORD.indexOf(char);
  return time;
}
