// NewEventSchema's answer for the ordinary event, without running zod: every append checks
// every event, and zod's general machinery (a copy of the envelope and of the payload's members,
// built issue list by issue list) cost 5-9 us per event, a fifth of a bulk import's main thread.
//
// It decides only what it can decide exactly: an event it accepts gets the very value
// NewEventSchema.parse would give (a fresh envelope in the schema's member order, a shallow copy
// of the payload); anything else (invalid, or unusual: a class instance, symbol or
// non-enumerable keys, inherited members) is left to the schema, which also words the errors.
// new-event-quick-parse.unit.spec.ts holds the two to the same answers on seeded random events.
import { regexes } from 'zod/v4/core';
import { SERVICES } from './agencies.ts';
import { EVENT_TYPE_PATTERN, TRACEPARENT_PATTERN } from './envelope.ts';
import type { NewEvent } from './envelope.ts';
import { ULID_PATTERN } from './ids.ts';

// The pattern zod itself builds for IsoTimeSchema (z.iso.datetime({ offset: false, precision: 3 })).
const ISO_TIME_PATTERN = regexes.datetime({ precision: 3, offset: false, local: false });
const AGENCIES: ReadonlySet<unknown> = new Set(SERVICES);
const MEMBERS: ReadonlySet<string> = new Set(['id', 'type', 'schemaVersion', 'occurredAt', 'agency', 'actor', 'caseId', 'causationId', 'traceparent', 'data']);

type Loose = Record<string, unknown>;

/** Own prototype Object.prototype or null: what zod treats as a plain object without asking more. */
function isOrdinaryObject(value: unknown): value is Loose {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

const isString = (value: unknown, pattern: RegExp): boolean => typeof value === 'string' && pattern.test(value);
const isNullableString = (value: unknown, pattern: RegExp): boolean => value === null || isString(value, pattern);

/**
 * A payload whose copy by spread is the copy zod's record makes: both take the own enumerable
 * members in the same order, but zod refuses symbol keys and drops an own `__proto__`.
 */
function isOrdinaryPayload(data: unknown): data is Loose {
  return isOrdinaryObject(data) && Object.getOwnPropertySymbols(data).length === 0 && !Object.hasOwn(data, '__proto__');
}

/** The parsed event when it is certainly valid; undefined when NewEventSchema must decide. */
export function quickParseNewEvent(value: unknown): NewEvent | undefined {
  if (!isOrdinaryObject(value)) return undefined;
  let members = 0;
  // for...in: zod's strict object finds unrecognised keys among inherited ones too.
  for (const key in value) {
    if (!MEMBERS.has(key)) return undefined;
    members++;
  }
  if (members !== MEMBERS.size) return undefined;
  const { id, type, schemaVersion, occurredAt, agency, actor, caseId, causationId, traceparent, data } = value;
  if (
    !isString(id, ULID_PATTERN) ||
    !isString(type, EVENT_TYPE_PATTERN) ||
    !(Number.isSafeInteger(schemaVersion) && (schemaVersion as number) >= 1) ||
    !isString(occurredAt, ISO_TIME_PATTERN) ||
    !AGENCIES.has(agency) ||
    !(typeof actor === 'string' && actor.length >= 1 && actor.length <= 200) ||
    !isNullableString(caseId, ULID_PATTERN) ||
    !isNullableString(causationId, ULID_PATTERN) ||
    !isNullableString(traceparent, TRACEPARENT_PATTERN) ||
    !isOrdinaryPayload(data)
  ) {
    return undefined;
  }
  return { id, type, schemaVersion, occurredAt, agency, actor, caseId, causationId, traceparent, data: { ...data } } as NewEvent;
}
