// RFC 8785 JSON Canonicalization Scheme (JCS): the one byte form of an event that its hash is
// computed over. JCS reuses ECMAScript's number and string serialisation, so JSON.stringify is
// exact for primitives; what it adds is sorting object members by their UTF-16 code units,
// which is what the default string comparison of Array.prototype.sort does.
//
// This runs for every event appended and every hash verified, so the usual path copies the value
// with each object's members inserted in sorted order and lets the native JSON.stringify write the
// copy in one call (about twice as fast as writing member by member). Two kinds of member name
// would not keep their place in a copy: integer-like names, which JavaScript objects always list
// first in numeric order, and `__proto__`, which an object literal would take as its prototype.
// A value holding either is written member by member instead.

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

/** `value` with every object's members in RFC 8785 order; primitives checked, not copied. */
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
      if (Array.isArray(value)) {
        const out = new Array<unknown>(value.length);
        for (let i = 0; i < value.length; i++) {
          const item: unknown = value[i];
          out[i] = item === undefined ? null : sortedCopy(item);
        }
        return out;
      }
      const record = value as Record<string, unknown>;
      if (typeof (record as { toJSON?: unknown }).toJSON === 'function') return sortedCopy((record as { toJSON: () => unknown }).toJSON());
      const keys = Object.keys(record).sort();
      const out: Record<string, unknown> = {};
      for (const key of keys) {
        if (key === '__proto__' || INTEGER_LIKE.test(key)) throw NEEDS_MEMBERWISE;
        const member = record[key];
        if (member !== undefined) out[key] = sortedCopy(member);
      }
      return out;
    }
    default:
      throw new CanonicalizationError(`a ${typeof value} has no JSON form`);
  }
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
