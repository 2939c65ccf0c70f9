// The chain checks split by ranges must find exactly the break ChainVerifier finds on the whole
// store, wherever the ranges are cut and whatever was tampered with.
import { describe, expect, it } from 'vitest';
import { ChainVerifier, GENESIS_HASH, hashedForm, sha256Hex } from './hash-chain.ts';
import type { HashedEvent } from './envelope.ts';
import { RangeChecker, chainFieldsOf, stitch, textAt, textColumn } from './chain-links.ts';

type Row = { position: number; stream: string; revision: number; body: string; hash: string };

/** A small store: events of three streams interleaved, chained as the stores chain them. */
function store(count: number): Row[] {
  const heads = new Map<string, { revision: number; hash: string }>();
  return Array.from({ length: count }, (_, position) => {
    const stream = `intake-case-${position % 3}`;
    const head = heads.get(stream);
    const event: HashedEvent = {
      id: `01JD0000000000000000000${String(position).padStart(3, '0')}`,
      type: 'intake.ReferralIssued',
      schemaVersion: 1,
      occurredAt: '2026-10-01T00:00:00.000Z',
      agency: 'intake',
      actor: 'officer',
      caseId: null,
      causationId: null,
      traceparent: null,
      data: { n: position },
      stream,
      revision: head ? head.revision + 1 : 0,
      recordedAt: '2026-10-01T00:00:00.000Z',
      prevHash: head?.hash ?? GENESIS_HASH,
    };
    const body = hashedForm(event);
    const hash = sha256Hex(body);
    heads.set(stream, { revision: event.revision, hash });
    return { position, stream, revision: event.revision, body, hash };
  });
}

function whole(rows: readonly Row[]) {
  const verifier = new ChainVerifier({ densePositions: true, firstPosition: 0 });
  for (const row of rows) if (!verifier.check({ ...row, hashedText: row.body })) break;
  const result = verifier.result();
  return result.ok ? null : result.firstBreak;
}

function byRanges(rows: readonly Row[], cuts: readonly number[]) {
  const bounds = [0, ...cuts, rows.length];
  return stitch(
    bounds.slice(1).map((end, at) => {
      const checker = new RangeChecker();
      for (const row of rows.slice(bounds[at], end)) checker.check({ ...row, hashHolds: sha256Hex(row.body) === row.hash, fields: chainFieldsOf(row.body) });
      return checker.result();
    }),
  );
}

const tampers: Record<string, (rows: Row[]) => Row[]> = {
  untouched: (rows) => rows,
  'one byte changed': (rows) => rows.map((row) => (row.position === 10 ? { ...row, body: row.body.replace('"n":10', '"n":11') } : row)),
  'rehashed after a change': (rows) => rows.map((row) => (row.position === 10 ? { ...row, body: row.body.replace('"n":10', '"n":11'), hash: sha256Hex(row.body.replace('"n":10', '"n":11')) } : row)),
  'one deleted': (rows) => rows.filter((row) => row.position !== 12),
  'first deleted': (rows) => rows.slice(1),
  'two swapped': (rows) => rows.map((row) => (row.position === 9 ? { ...rows[12]!, position: 9 } : row.position === 12 ? { ...rows[9]!, position: 12 } : row)),
  'column changed': (rows) => rows.map((row) => (row.position === 14 ? { ...row, stream: 'intake-case-x' } : row)),
  'not JSON': (rows) => rows.map((row) => (row.position === 15 ? { ...row, body: row.body.slice(0, 30) } : row)),
  'a stream without its first event': (rows) => rows.filter((row) => !(row.stream === 'intake-case-1' && row.revision === 0)).map((row, position) => ({ ...row, position })),
  'a first event chained to another': (rows) =>
    rows.map((row) => {
      if (row.position !== 2) return row;
      const body = row.body.replace(GENESIS_HASH, 'a'.repeat(64));
      return { ...row, body, hash: sha256Hex(body) };
    }),
  'a stream cut short, its later events kept': (rows) => rows.filter((row) => !(row.stream === 'intake-case-1' && row.revision === 3)).map((row, position) => ({ ...row, position })),
};

describe('chain checks by ranges', () => {
  for (const [name, tamper] of Object.entries(tampers)) {
    it(`find what ChainVerifier finds: ${name}`, () => {
      const rows = tamper(store(24));
      const expected = whole(rows);
      if (name !== 'untouched') expect(expected).not.toBeNull();
      for (const cuts of [[], [1], [5], [9, 10], [10, 11, 12], [12], [13], [3, 7, 16, 20], Array.from({ length: 22 }, (_, i) => i + 1)]) {
        expect(byRanges(rows, cuts), `cut at ${cuts.join(',')}`).toEqual(expected);
      }
    });
  }
});

describe('text columns', () => {
  it('give back every string as it went in, empty ones and odd characters included', () => {
    const values = ['', 'intake-case-1', '', 'ß☃', 'a"b\\c', '\u0000', 'x'.repeat(300)];
    const column = textColumn(values);
    expect(values.map((_, i) => textAt(column, i))).toEqual(values);
    expect(textColumn([]).ends).toHaveLength(0);
  });
});
