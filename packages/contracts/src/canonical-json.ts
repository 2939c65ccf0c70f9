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
        return `[${value.map((item) => (item === undefined ? 'null' : canonicalize(item))).join(',')}]`;
      }
      const record = value as Record<string, unknown>;
      if (typeof (record as { toJSON?: unknown }).toJSON === 'function') {
        return canonicalize((record as { toJSON: () => unknown }).toJSON());
      }
      const members: string[] = [];
      for (const key of Object.keys(record).sort()) {
        const member = record[key];
        if (member === undefined) continue;
        members.push(`${JSON.stringify(key)}:${canonicalize(member)}`);
      }
      return `{${members.join(',')}}`;
    }
    default:
      throw new CanonicalizationError(`a ${typeof value} has no JSON form`);
  }
}
