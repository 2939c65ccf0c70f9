import { describe, expect, it } from 'vitest';
import { GENESIS_HASH } from '@nrm/contracts';
import { planBatch } from './append-plan.ts';
import { InvalidAppendError } from './errors.ts';
import type { StreamHead } from './append-plan.ts';
import { testEvent } from './testing/test-events.ts';

/** A store's memory of stream heads that only answers lookups: walking it throws. */
class LookupOnly extends Map<string, StreamHead> {
  override [Symbol.iterator](): MapIterator<[string, StreamHead]> {
    throw new Error('the plan walked every remembered head');
  }
  override entries(): MapIterator<[string, StreamHead]> {
    throw new Error('the plan walked every remembered head');
  }
  override forEach(): void {
    throw new Error('the plan walked every remembered head');
  }
}

describe('planBatch', () => {
  it('looks up only the streams it writes in what the store remembers, and chains appends to one stream within the batch', () => {
    const remembered = new LookupOnly();
    for (let i = 0; i < 1_000; i++) remembered.set(`other-${i}`, { revision: 3, hash: 'a'.repeat(64) });
    remembered.set('known', { revision: 4, hash: 'b'.repeat(64) });
    const plan = planBatch(
      [
        { stream: 'known', events: [testEvent()], expectedRevision: 4 },
        { stream: 'known', events: [testEvent()], expectedRevision: 5 },
        { stream: 'new', events: [testEvent()], expectedRevision: 'no_stream' },
      ],
      { storedById: new Map(), headByStream: remembered },
      10,
      '2026-11-24T00:00:00.000Z',
    );
    expect(plan.outcomes.map((outcome) => outcome.ok)).toEqual([true, true, true]);
    expect(plan.rows.map((row) => [row.stream, row.revision, row.position])).toEqual([
      ['known', 5, 10],
      ['known', 6, 11],
      ['new', 0, 12],
    ]);
    expect(plan.events[0]!.prevHash).toBe('b'.repeat(64));
    expect(plan.events[1]!.prevHash).toBe(plan.rows[0]!.hash);
    expect(plan.events[2]!.prevHash).toBe(GENESIS_HASH);
    // The store's memory is the caller's to update; the plan leaves it as it was.
    expect(remembered.get('known')).toEqual({ revision: 4, hash: 'b'.repeat(64) });
    expect(remembered.has('new')).toBe(false);
  });

  it('an append whose payload cannot be hashed is refused alone: its rows are taken back and the next append takes their positions', () => {
    const seen: number[] = [];
    const bad = [testEvent(), testEvent({ data: { amount: 10n } })];
    const plan = planBatch(
      [
        { stream: 'a', events: [testEvent()], expectedRevision: 'any' },
        { stream: 'b', events: bad, expectedRevision: 'any' },
        { stream: 'a', events: [testEvent(), testEvent()], expectedRevision: 0 },
      ],
      { storedById: new Map(), headByStream: new Map() },
      0,
      '2026-11-24T00:00:00.000Z',
      (row) => seen.push(row.position),
    );
    expect(plan.outcomes.map((outcome) => outcome.ok)).toEqual([true, false, true]);
    const refused = plan.outcomes[1] as { ok: false; error: Error };
    expect(refused.error).toBeInstanceOf(InvalidAppendError);
    expect(refused.error.message).toMatch(/append to b cannot be hashed/);
    expect(plan.rows.map((row) => [row.stream, row.revision, row.position])).toEqual([
      ['a', 0, 0],
      ['a', 1, 1],
      ['a', 2, 2],
    ]);
    expect(plan.events.map((event) => event.id)).not.toContain(bad[0]!.id);
    // The row of the refused append was announced, then its position planned again.
    expect(seen).toEqual([0, 1, 1, 2]);
  });
});

