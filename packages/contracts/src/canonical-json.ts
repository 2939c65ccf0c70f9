// RFC 8785 JSON Canonicalization Scheme (JCS): the one byte form of an event that its hash is
// computed over. JCS reuses ECMAScript's number and string serialisation, so JSON.stringify is
// exact for primitives; what it adds is sorting object members by their UTF-16 code units,
// which is what the default string comparison of Array.prototype.sort does.

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export class CanonicalizationError extends Error {
  override readonly name = 'CanonicalizationError';
}

export function canonicalize(value: unknown): string {
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
          out += item === undefined ? 'null' : canonicalize(item);
        }
        return `${out}]`;
      }
      const record = value as Record<string, unknown>;
      if (typeof (record as { toJSON?: unknown }).toJSON === 'function') {
        return canonicalize((record as { toJSON: () => unknown }).toJSON());
      }
      // String concatenation rather than arrays and join: this runs for every event appended.
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
        out += canonicalize(member);
      }
      return `${out}}`;
    }
    default:
      throw new CanonicalizationError(`a ${typeof value} has no JSON form`);
  }
}
