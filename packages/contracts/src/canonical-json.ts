// RFC 8785 JSON Canonicalization Scheme (JCS): the one byte form of an event that its hash is
// computed over. JCS reuses ECMAScript's number and string serialisation, so JSON.stringify is
// exact for primitives; what it adds is sorting object members by their UTF-16 code units,
// which is what the default string comparison of Array.prototype.sort does.
//
// This runs for every event appended and every hash verified, so the usual path copies the value
// with each object's members inserted in sorted order and lets the native JSON.stringify write the
// copy in one call (about twice as fast as writing member by member). Only objects whose members
// are out of order are copied: a part that is already in order is handed to JSON.stringify as it
// is, which writes it the same way. Two kinds of member name would not keep their place in a
// copy: integer-like names, which JavaScript objects always list first in numeric order, and
// `__proto__`, which an object literal would take as its prototype. A value holding either is
// written member by member instead.

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export class CanonicalizationError extends Error {
  override readonly name = 'CanonicalizationError';
}

/** Thrown inside the copy when a member name would not keep its sorted place; never escapes. */
const NEEDS_MEMBERWISE = Symbol('needs member-by-member writing');
const INTEGER_LIKE = /^(?:0|[1-9][0-9]*)$/;

export function canonicalize(value: unknown): string {
  try {
    return JSON.stringify(sortedCopy(value));
  } catch (error) {
    if (error === NEEDS_MEMBERWISE) return memberwise(value);
    throw error;
  }
}

/** Whether a member name would not keep its place in a copy; the pattern only for names that start with a digit. */
function movesInCopy(key: string): boolean {
  const first = key.charCodeAt(0);
  if (first >= 48 && first <= 57) return INTEGER_LIKE.test(key);
  return key === '__proto__';
}

/**
 * `value` laid out so that JSON.stringify writes its RFC 8785 form, or null when only
 * `canonicalize` can write it (a member name that would not keep its place). For callers that
 * put a canonical part inside a larger object they write themselves (the hashed form of an event).
 */
export function canonicalLayout(value: unknown): { layout: unknown } | null {
  try {
    return { layout: sortedCopy(value) };
  } catch (error) {
    if (error === NEEDS_MEMBERWISE) return null;
    throw error;
  }
}

/**
 * `value` with every object's members in RFC 8785 order; primitives checked, not copied, and an
 * object or array whose every part is already in order returned as it is.
 */
function sortedCopy(value: unknown): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      if (!Number.isFinite(value)) throw new CanonicalizationError(`${value} has no JSON form`);
      return value;
    case 'object': {
      if (value === null) return null;
      if (Array.isArray(value)) return sortedArray(value as unknown[]);
      const record = value as Record<string, unknown>;
      if (typeof (record as { toJSON?: unknown }).toJSON === 'function') return sortedCopy((record as { toJSON: () => unknown }).toJSON());
      return sortedRecord(record);
    }
    default:
      throw new CanonicalizationError(`a ${typeof value} has no JSON form`);
  }
}

function sortedArray(value: readonly unknown[]): unknown[] {
  let out: unknown[] | null = null;
  for (let i = 0; i < value.length; i++) {
    const item = value[i];
    // JSON.stringify writes a hole or undefined in an array as null, as the copy would.
    const laid = item === undefined ? undefined : sortedCopy(item);
    if (out === null && laid !== item) out = value.slice(0, i);
    if (out !== null) out.push(laid === undefined ? null : laid);
  }
  return out ?? (value as unknown[]);
}

/**
 * The sorted order of member lists met before, by their first member (one list each; all forgotten
 * past 256). Payloads of one event type are built the same way, so the same list in the same order
 * comes back for every event of the type, and sorting it again was most of what a copy cost.
 * Only lists that passed the checks below are kept, so a list found here needs none of them.
 */
const SHAPES_KEPT = 256;
const shapes = new Map<string, { keys: readonly string[]; sorted: readonly string[] }>();

function knownOrder(keys: readonly string[]): readonly string[] | null {
  const shape = shapes.get(keys[0]!);
  if (shape === undefined || shape.keys.length !== keys.length) return null;
  for (let i = 1; i < keys.length; i++) if (shape.keys[i] !== keys[i]) return null;
  return shape.sorted;
}

function sortedRecord(record: Record<string, unknown>): Record<string, unknown> {
  const keys = Object.keys(record);
  if (keys.length === 0) return record;
  const known = knownOrder(keys);
  if (known !== null) return copyInOrder(record, known);
  let inOrder = true;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    if (movesInCopy(key)) throw NEEDS_MEMBERWISE;
    if (i > 0 && keys[i - 1]! > key) inOrder = false;
  }
  if (inOrder) {
    // Kept as it is unless a member must change; JSON.stringify leaves out undefined members itself.
    let changed: Record<string, unknown> | null = null;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      const member = record[key];
      const laid = member === undefined ? undefined : sortedCopy(member);
      if (changed === null && laid !== member) {
        changed = {};
        for (let j = 0; j < i; j++) changed[keys[j]!] = record[keys[j]!];
      }
      if (changed !== null && laid !== undefined) changed[key] = laid;
    }
    return changed ?? record;
  }
  const sorted = [...keys].sort();
  if (shapes.size >= SHAPES_KEPT) shapes.clear();
  shapes.set(keys[0]!, { keys, sorted });
  return copyInOrder(record, sorted);
}

function copyInOrder(record: Record<string, unknown>, sorted: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of sorted) {
    const member = record[key];
    if (member !== undefined) out[key] = sortedCopy(member);
  }
  return out;
}

/** The same form written member by member: any member name keeps its sorted place. */
function memberwise(value: unknown): string {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new CanonicalizationError(`${value} has no JSON form`);
      return JSON.stringify(value);
    case 'object': {
      if (value === null) return 'null';
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) {
          if (i > 0) out += ',';
          const item: unknown = value[i];
          out += item === undefined ? 'null' : memberwise(item);
        }
        return `${out}]`;
      }
      const record = value as Record<string, unknown>;
      if (typeof (record as { toJSON?: unknown }).toJSON === 'function') return memberwise((record as { toJSON: () => unknown }).toJSON());
      const keys = Object.keys(record).sort();
      let out = '{';
      let first = true;
      for (const key of keys) {
        const member = record[key];
        if (member === undefined) continue;
        if (!first) out += ',';
        first = false;
        out += JSON.stringify(key);
        out += ':';
        out += memberwise(member);
      }
      return `${out}}`;
    }
    default:
      throw new CanonicalizationError(`a ${typeof value} has no JSON form`);
  }
}
