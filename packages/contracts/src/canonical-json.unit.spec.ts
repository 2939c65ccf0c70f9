import { describe, expect, it } from 'vitest';
import { CanonicalizationError, canonicalize } from './canonical-json.ts';

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

  it('writes what toJSON returns, and undefined array items as null', () => {
    expect(canonicalize({ at: new Date('2026-11-24T00:00:00.000Z'), list: [undefined, 1] })).toBe('{"at":"2026-11-24T00:00:00.000Z","list":[null,1]}');
  });
});
