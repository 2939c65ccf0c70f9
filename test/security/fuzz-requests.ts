// Hostile HTTP requests for one route, as fast-check arbitraries: arbitrary JSON, the route's valid
// sample request mutated (fields dropped, added, retyped, made huge, deep or odd), random path
// parameters and query strings, random content types and raw bytes. Each case says its kind, so a
// run can count what it sent. Header values stay visible ASCII: a value Node itself refuses to
// send would test the client, not the backbone.
import fc from 'fast-check';
import type { Arbitrary } from 'fast-check';
import { DEFAULT_BODY_LIMIT } from '@nrm/service-kit';
import type { JsonSchema, SampleRequest } from './sample-request.ts';

export type HostileRequest = {
  kind: string;
  params: Record<string, string>;
  /** Already encoded, without the `?`; empty for none. */
  query: string;
  headers: Record<string, string>;
  payload?: string | Buffer;
};

/** What the generators know of a route: its path parameters, its valid sample, its body schema. */
export type FuzzTarget = { path: string; sample: SampleRequest; bodySchema: JsonSchema | undefined };

const KIB = 1024;

/** Strings that have broken parsers, coercions and queries before. */
const NASTY_STRINGS = [
  '',
  ' ',
  '0',
  '-1',
  '-0',
  '1.5',
  'NaN',
  'Infinity',
  '-Infinity',
  '1e309',
  '-1e309',
  '9007199254740993',
  '0x1F',
  'null',
  'undefined',
  'true',
  '[]',
  '{}',
  '__proto__',
  'constructor',
  'prototype',
  'hasOwnProperty',
  '../../../../etc/passwd',
  '..%2F..%2F',
  '%00',
  '\u0000',
  '\ud800',
  '\udfff',
  '\ufeff',
  '\u202e',
  '👩🏽‍⚖️',
  'Nguyễn Thị Lan',
  'ក្រសួង',
  '<script>alert(1)</script>',
  "' OR 1=1 --",
  '"; DROP TABLE events; --',
  '${7*7}',
  '01jzzzzzzzzzzzzzzzzzzzzzzz',
  '81JZZZZZZZZZZZZZZZZZZZZZZZ',
  '01JZZZZZZZZZZZZZZZZZZZZZZU',
  '01JZZZZZZZZZZZZZZZZZZZZZZZ0',
  '2026-02-30T25:61:00Z',
  '2026-13-45',
  '0000-00-00',
  '9999-Q9',
  'KH\n',
  'office@@example.org',
];

/**
 * Strings of code points up to `max`, built from an array: fast-check's own string arbitraries
 * tokenise constant slices on every draw, which cost more than the request they go into.
 */
const codePoints = (max: number, maxLength: number): Arbitrary<string> => fc.array(fc.nat({ max }), { maxLength }).map((points) => String.fromCodePoint(...points));
const asciiString = (maxLength: number) => codePoints(0x7f, maxLength);
/** Any code point, lone surrogates included: not valid UTF-16, as a hostile client may send. */
const unicodeString = (maxLength: number) => codePoints(0x10ffff, maxLength);
const GRAPHEMES = ['e\u0301', '👩🏽‍⚖️', '🇰🇭', 'ễ', 'ក្រ', 'ﷺ', '\u200d', '\u0000', '\t', '\r\n', 'ß', 'İ', '𝔘'];
const graphemeString = fc.array(fc.constantFrom(...GRAPHEMES), { maxLength: 20 }).map((graphemes) => graphemes.join(''));

/** A long string of one character: cheap to build, hundreds of KiB on the wire. */
const hugeString: Arbitrary<string> = fc
  .tuple(fc.integer({ min: 16 * KIB, max: 300 * KIB }), fc.constantFrom('x', 'é', '😀', '\u0000', '"', '\\', '%'))
  .map(([length, character]) => character.repeat(Math.ceil(length / character.length)));

export const hostileString: Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...NASTY_STRINGS), weight: 12 },
  { arbitrary: asciiString(40), weight: 6 },
  { arbitrary: graphemeString, weight: 4 },
  { arbitrary: unicodeString(40), weight: 4 },
  { arbitrary: fc.tuple(asciiString(8), fc.integer({ min: 20, max: 500 })).map(([chunk, times]) => (chunk || 'z').repeat(times)), weight: 2 },
  { arbitrary: hugeString, weight: 1 },
);

/** `[[[…]]]` or `{"a":{"a":…}}`, as text, so building it recurses nowhere. */
const deepJsonText: Arbitrary<string> = fc
  .tuple(fc.integer({ min: 64, max: 5_000 }), fc.boolean())
  .map(([depth, arrays]) => (arrays ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`));

const hostileNumber: Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(-1, 0, -0, 1.5, -1e308, 1e308, Number.MAX_SAFE_INTEGER + 2, Number.MIN_SAFE_INTEGER, 2 ** 31, -(2 ** 63)),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
);

/** Any JSON value a field could be given instead of the right one. */
export const hostileValue: Arbitrary<unknown> = fc.oneof(
  { arbitrary: hostileString, weight: 5 },
  { arbitrary: hostileNumber, weight: 2 },
  { arbitrary: fc.constantFrom(null, true, false, [], {}), weight: 2 },
  { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 2 },
  { arbitrary: fc.tuple(fc.constantFrom(1, 'x', null, {}), fc.integer({ min: 1000, max: 20_000 })).map(([item, length]) => Array.from({ length }, () => item)), weight: 1 },
);

type Path = (string | number)[];

/**
 * The path to the values inside `value` (the root left out) that a mutation may hit: all of a
 * sample's, but only the first few items of a long array and nothing below a few levels, so an
 * earlier mutation that put a huge array or a deep value there costs nothing to walk past.
 */
function pathsIn(value: unknown, prefix: Path = []): Path[] {
  if (prefix.length >= 6 || typeof value !== 'object' || value === null) return [];
  const entries: [string | number, unknown][] = Array.isArray(value) ? value.slice(0, 4).map((item, index) => [index, item]) : Object.entries(value).slice(0, 40);
  return entries.flatMap(([key, item]) => [[...prefix, key], ...pathsIn(item, [...prefix, key])]);
}

/** Every property name the body schema knows, optional ones too: extra fields worth sending. */
function propertyNames(schema: JsonSchema | undefined, into = new Set<string>()): Set<string> {
  if (!schema) return into;
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    into.add(name);
    propertyNames(property, into);
  }
  propertyNames(schema.items, into);
  for (const alternative of [...(schema.anyOf ?? []), ...(schema.oneOf ?? [])]) propertyNames(alternative, into);
  return into;
}

type Mutation = { action: 'drop' | 'replace' | 'add'; at: number; key: string; value: unknown };

function mutated(body: unknown, mutations: readonly Mutation[]): unknown {
  let result: unknown = structuredClone(body);
  for (const mutation of mutations) {
    const paths = pathsIn(result);
    if (paths.length === 0 || typeof result !== 'object' || result === null) {
      result = mutation.action === 'add' ? { [mutation.key]: mutation.value } : mutation.value;
      continue;
    }
    const path = paths[mutation.at % paths.length]!;
    const parent = path.slice(0, -1).reduce<unknown>((node, step) => (node as Record<string | number, unknown>)[step], result) as Record<string | number, unknown>;
    const last = path.at(-1)!;
    if (mutation.action === 'drop') {
      if (Array.isArray(parent)) parent.splice(Number(last), 1);
      else delete parent[last];
    } else if (mutation.action === 'replace') parent[last] = mutation.value;
    else if (Array.isArray(parent)) parent.push(mutation.value);
    else Object.defineProperty(parent, mutation.key, { value: mutation.value, enumerable: true, writable: true, configurable: true });
  }
  return result;
}

const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=latin1',
  'APPLICATION/JSON',
  'application/json;;;',
  'application/problem+json',
  'application/merge-patch+json',
  'text/plain',
  'text/plain; charset=utf-16',
  'text/html',
  'application/xml',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=----nrm',
  'application/octet-stream',
  '*/*',
  'json',
  '',
];

const rawBody: Arbitrary<string | Buffer> = fc.oneof(
  fc.uint8Array({ maxLength: 4096 }).map((bytes) => Buffer.from(bytes)),
  fc.constantFrom(Buffer.from([0xff, 0xfe, 0xfd]), Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d]), Buffer.from('{"a":"\\ud800"}')),
  fc.constantFrom('{', '}', '[', '"', 'nul', '{"a":1,}', "{'a':1}", '{"a":1}{"a":2}', '{"__proto__":{"polluted":true}}', '{"constructor":{"prototype":{"polluted":true}}}', 'a=1&b=2', '------nrm--'),
  unicodeString(2000),
);

const queryKey = fc.oneof(fc.constantFrom('after', 'limit', 'cursor', 'period', 'status', 'eventId', 'from', 'to', 'size', '__proto__', 'a[b]', 'a[]', ''), asciiString(12));

const randomQuery: Arbitrary<string> = fc.oneof(
  fc.dictionary(queryKey, hostileString.filter((value) => value.length < 20 * KIB), { maxKeys: 4 }).map((entries) => new URLSearchParams(entries).toString()),
  fc.constantFrom('a=%zz', '%', '&&&', '=', 'after=1&after=2', 'limit=-1', 'limit=1e9', 'after=NaN', '__proto__[polluted]=1', 'a=%E0%A4%A', 'a=%ED%A0%80', 'a=%00'),
);

/** A path parameter's value: the valid one, a hostile one encoded, or a malformed escape as is. */
const randomParam = (valid: string): Arbitrary<string> =>
  fc.oneof(
    { arbitrary: fc.constant(valid), weight: 1 },
    { arbitrary: hostileString.filter((value) => value.length > 0 && value.length < 8 * KIB).map((value) => encodeURIComponent(value.toWellFormed())), weight: 4 },
    // Malformed escapes and UTF-8 (a lone surrogate's bytes), as they come.
    { arbitrary: fc.constantFrom('%', '%zz', '%E0%A4%A', '%ED%A0%80', '%C0%AF', '%00', '..', '.', '%2e%2e', '%2F', 'a;b', '*'), weight: 1 },
  );

const extraHeaders: Arbitrary<Record<string, string>> = fc.record(
  {
    'if-match': fc.constantFrom('"3"', '"-1"', '"abc"', '*', 'W/"1"', '"99999999999999999999"', ''),
    'last-event-id': fc.constantFrom('0', '-1', '1e3', '999999999999999999999', 'x', ''),
    accept: fc.constantFrom('application/xml', '*/*', 'text/event-stream', 'application/json;q=0', ''),
    'accept-encoding': fc.constantFrom('gzip', 'br', 'identity;q=0', '*;q=0'),
  },
  { requiredKeys: [] },
);

const json = (value: unknown): string | undefined => {
  try {
    return JSON.stringify(value);
  } catch {
    return undefined;
  }
};

/** Every kind of hostile request for the route, weighted towards the ones that reach its handler. */
export function hostileRequests(target: FuzzTarget): Arbitrary<HostileRequest> {
  const { sample } = target;
  const validQuery = new URLSearchParams(sample.query).toString();
  const base = (kind: string, payload: string | Buffer | undefined, contentType = 'application/json'): HostileRequest => ({
    kind,
    params: sample.params,
    query: validQuery,
    headers: payload === undefined ? {} : { 'content-type': contentType },
    ...(payload === undefined ? {} : { payload }),
  });
  const names = [...propertyNames(target.bodySchema)];
  const key = names.length > 0 ? fc.oneof(fc.constantFrom(...names), asciiString(12), fc.constantFrom('__proto__', 'constructor')) : asciiString(12);
  const mutation: Arbitrary<Mutation> = fc.record({ action: fc.constantFrom('drop', 'replace', 'replace', 'add'), at: fc.nat(), key, value: hostileValue });
  const sampleText = json(sample.body ?? {}) ?? '{}';

  const paramNames = Object.keys(sample.params);
  const params: Arbitrary<Record<string, string>> = fc.record(Object.fromEntries(paramNames.map((name) => [name, randomParam(sample.params[name]!)])));

  return fc.oneof(
    { arbitrary: fc.array(mutation, { minLength: 1, maxLength: 4 }).map((mutations) => base('mutated-sample', json(mutated(sample.body ?? {}, mutations)) ?? 'null')), weight: 32 },
    { arbitrary: fc.jsonValue({ maxDepth: 4 }).map((value) => base('json-value', json(value) ?? 'null')), weight: 12 },
    { arbitrary: fc.anything({ maxDepth: 3 }).map((value) => base('anything', json(value) ?? '')), weight: 8 },
    { arbitrary: fc.tuple(params, randomQuery).map(([random, query]) => ({ ...base('params-query', sample.body === undefined ? undefined : sampleText), params: random, query })), weight: 20 },
    { arbitrary: fc.tuple(fc.constantFrom(...CONTENT_TYPES), rawBody).map(([contentType, payload]) => base('raw-bytes', payload, contentType)), weight: 12 },
    { arbitrary: fc.constantFrom(...CONTENT_TYPES).map((contentType) => base('sample-other-type', sampleText, contentType)), weight: 4 },
    { arbitrary: fc.nat().map((cut) => base('truncated-json', sampleText.slice(0, cut % Math.max(sampleText.length, 1)))), weight: 4 },
    { arbitrary: deepJsonText.map((text) => base('deep-nesting', text)), weight: 2 },
    // One past the body limit: a 413, never a crash.
    { arbitrary: fc.integer({ min: DEFAULT_BODY_LIMIT + 1, max: DEFAULT_BODY_LIMIT + 4 * KIB }).map((length) => base('over-body-limit', `"${'x'.repeat(length)}"`)), weight: 1 },
    { arbitrary: extraHeaders.map((headers) => ({ ...base('odd-headers', sample.body === undefined ? undefined : sampleText), headers: { ...base('', sample.body === undefined ? undefined : sampleText).headers, ...headers } })), weight: 4 },
  );
}
