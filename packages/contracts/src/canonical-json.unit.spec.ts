import { describe, expect, it } from 'vitest';
import { CanonicalizationError, canonicalLayout, canonicalize } from './canonical-json.ts';
import { seededRandom as seeded } from './seeded-random.ts';

/** RFC 8785 written the slow, obvious way, member by member: what the fast paths must match. */
function reference(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return reference((value as { toJSON: () => unknown }).toJSON());
  if (Array.isArray(value)) return `[${Array.from(value, (item: unknown) => (item === undefined ? 'null' : reference(item))).join(',')}]`;
  const record = value as Record<string, unknown>;
  const members = Object.keys(record)
    .sort()
    .filter((key) => record[key] !== undefined)
    .map((key) => `${JSON.stringify(key)}:${reference(record[key])}`);
  return `{${members.join(',')}}`;
}


const NAMES = ['a', 'b', 'c', 'kind', 'to', 'Z', 'é', '\u20ac', 'aa', 'ab', '_', '10', '9', '0'];

function randomValue(random: () => number, depth: number, withIntegerNames: boolean): unknown {
  const pick = random();
  if (depth > 3 || pick < 0.35) {
    const primitives = [null, true, false, 0, -0, 1.5, 1e21, 'x', '"q"', '\u2028', undefined, new Date(Math.floor(random() * 1e12))];
    return primitives[Math.floor(random() * primitives.length)];
  }
  if (pick < 0.55) return Array.from({ length: Math.floor(random() * 4) }, () => randomValue(random, depth + 1, withIntegerNames));
  const names = NAMES.filter((name) => withIntegerNames || !/^[0-9]+$/.test(name));
  const record: Record<string, unknown> = {};
  const count = Math.floor(random() * 5);
  // Half of the objects are built in sorted order, so the in-order path is taken as often as the copy.
  const chosen = Array.from({ length: count }, () => names[Math.floor(random() * names.length)]!);
  if (random() < 0.5) chosen.sort();
  for (const name of chosen) record[name] = randomValue(random, depth + 1, withIntegerNames);
  return record;
}

describe('RFC 8785 canonical JSON', () => {
  it('sorts members by UTF-16 code units (the RFC 8785 §3.2.3 example)', () => {
    const input = { '\u20ac': 'Euro Sign', '\r': 'Carriage Return', '\ufb33': 'Hebrew Letter Dalet With Dagesh', '1': 'One', '\ud83d\ude00': 'Emoji: Grinning Face', '\u0080': 'Control', '\u00f6': 'Latin Small Letter O With Diaeresis' };
    const keys = Object.keys(JSON.parse(canonicalize(input)) as object);
    // JSON.parse puts the integer-like key first again, so check the text order instead.
    expect(keys).toContain('1');
    expect(canonicalize(input)).toBe(
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis","\u20ac":"Euro Sign","\ud83d\ude00":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    );
  });

  it('serialises numbers the ECMAScript way (RFC 8785 §3.2.2.3)', () => {
    expect(canonicalize([1e21, 1e-7, 0.000001, -0, 333333333.3333333, 1e23, 4.5, 2e-3, 9007199254740992])).toBe(
      '[1e+21,1e-7,0.000001,0,333333333.3333333,1e+23,4.5,0.002,9007199254740992]',
    );
  });

  it('escapes strings minimally and keeps other characters as they are', () => {
    expect(canonicalize({ s: '\u20ac$\u000f\u000aA\'\u0042\u0022\u005c\\"/' })).toBe('{"s":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}');
  });

  it('nests, drops undefined members and refuses what JSON cannot hold', () => {
    expect(canonicalize({ b: [true, null, { d: 1, c: undefined }], a: 'x' })).toBe('{"a":"x","b":[true,null,{"d":1}]}');
    expect(() => canonicalize({ n: Number.NaN })).toThrow(CanonicalizationError);
    expect(() => canonicalize({ n: Number.POSITIVE_INFINITY })).toThrow(CanonicalizationError);
    expect(() => canonicalize({ f: () => 1 })).toThrow(CanonicalizationError);
  });

  it('keeps integer-like and __proto__ member names in their sorted place, however deep', () => {
    expect(canonicalize({ b: { '10': 1, '9': 2, a: 3 } })).toBe('{"b":{"10":1,"9":2,"a":3}}');
    expect(canonicalize([{ z: 1, '0': 0 }])).toBe('[{"0":0,"z":1}]');
    const withProto = JSON.parse('{"z":1,"__proto__":{"x":1},"a":2}') as object;
    expect(canonicalize(withProto)).toBe('{"__proto__":{"x":1},"a":2,"z":1}');
    expect(() => canonicalize({ '1': Number.NaN })).toThrow(CanonicalizationError);
  });

  it('writes exactly what a member-by-member writer writes, for 5,000 seeded values in and out of order', () => {
    const random = seeded(20261124);
    for (let i = 0; i < 5_000; i++) {
      const value = randomValue(random, 0, i % 2 === 0);
      // undefined alone has no JSON form at all (refused by canonicalize, tested above).
      if (value === undefined) continue;
      expect(canonicalize(value), JSON.stringify(value)).toBe(reference(value));
    }
  });

  it('remembers the sorted order of a member list it met, and never confuses lists that share a first member', () => {
    const lists = [
      ['to', 'kind', 'a'],
      ['to', 'kind', 'b'],
      ['to', 'kind'],
      ['to', 'a', 'kind'],
      ['to', 'kind', 'a', 'Z'],
    ];
    // Each list twice in a row (the second time from memory), then all of them again interleaved.
    for (const round of [0, 1]) {
      for (const list of round === 0 ? lists.flatMap((list) => [list, list]) : lists) {
        const value = Object.fromEntries(list.map((name, at) => [name, { z: at, y: [round, { q: 1, p: 2 }] }]));
        expect(canonicalize(value)).toBe(reference(value));
      }
    }
    // More lists than are kept: memory is dropped and built again, and the answers stay right.
    for (let i = 0; i < 600; i++) {
      const value = { [`m${i % 300}`]: i, a: i, [`k${i}`]: undefined };
      expect(canonicalize(value)).toBe(reference(value));
    }
  });

  it('hands back a part already in order as it is, and never changes the value it was given', () => {
    const inOrder = { a: 1, b: [{ c: 2, d: null }], e: 'x' };
    expect(canonicalLayout(inOrder)?.layout).toBe(inOrder);
    const nested = { a: { z: 1, y: 2 }, b: 1 };
    const laid = canonicalLayout(nested)?.layout as Record<string, unknown>;
    expect(laid).not.toBe(nested);
    expect(JSON.stringify(laid)).toBe('{"a":{"y":2,"z":1},"b":1}');
    expect(Object.keys(nested.a)).toEqual(['z', 'y']);
    expect(canonicalLayout({ b: 1, '1': 2 })).toBeNull();
  });

  it('writes what toJSON returns, and undefined array items as null', () => {
    expect(canonicalize({ at: new Date('2026-11-24T00:00:00.000Z'), list: [undefined, 1] })).toBe('{"at":"2026-11-24T00:00:00.000Z","list":[null,1]}');
  });
});
