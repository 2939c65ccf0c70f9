// Live reads from the rows a store appended last: answered from memory only where every position
// of the read is held, so another process's rows and older rows still come from the file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { StoredRow } from '../append-plan.ts';
import { testEvent } from '../testing/test-events.ts';
import { RecentRows } from './recent-rows.ts';
import { createSqliteEventStore } from './sqlite-event-store.ts';

function row(position: number, overrides: Partial<StoredRow> = {}): StoredRow {
  return { position, id: `id-${position}`, stream: `s-${position % 3}`, revision: 0, type: position % 2 === 0 ? 'intake.TipReceived' : 'intake.TipTriaged', agency: 'intake', caseId: null, hashedText: `{"p":${position}}`, hash: `h${position}`, ...overrides };
}

describe('RecentRows', () => {
  it('answers a range it holds whole, filtered and up to the limit', () => {
    const recent = new RecentRows(8);
    recent.add([row(10), row(11), row(12), row(13, { caseId: 'c-1' })]);
    expect(recent.page(9, 13, 100, undefined)?.map(([position]) => position)).toEqual([10, 11, 12, 13]);
    expect(recent.page(9, 13, 2, undefined)?.map(([position]) => position)).toEqual([10, 11]);
    expect(recent.page(9, 13, 100, { types: ['intake.TipTriaged'] })?.map(([position]) => position)).toEqual([11, 13]);
    expect(recent.page(9, 13, 100, { caseIds: ['c-1'] })?.map(([position]) => position)).toEqual([13]);
    expect(recent.page(9, 13, 100, { agencies: ['rescue'] })).toEqual([]);
    expect(recent.page(10, 12, 100, undefined)).toEqual([
      [11, '{"p":11}', 'h11'],
      [12, '{"p":12}', 'h12'],
    ]);
  });

  it('matches stream prefixes exactly, as the file does: case counts and nothing is a wildcard', () => {
    const recent = new RecentRows(8);
    recent.add([row(1, { stream: 'Desk-KH-1' }), row(2, { stream: 'desk-la-1' }), row(3, { stream: 'case-1' }), row(4, { stream: 'desk_y' })]);
    expect(recent.page(0, 4, 100, { streamPrefixes: ['desk-'] })?.map(([position]) => position)).toEqual([2]);
    expect(recent.page(0, 4, 100, { streamPrefixes: ['Desk-KH', 'case'] })?.map(([position]) => position)).toEqual([1, 3]);
    expect(recent.page(0, 4, 100, { streamPrefixes: ['DESK-'] })).toEqual([]);
    expect(recent.page(0, 4, 100, { streamPrefixes: ['desk_'] })?.map(([position]) => position)).toEqual([4]);
  });

  it('declines a range with a position it does not hold, older than it holds, or beyond it', () => {
    const recent = new RecentRows(8);
    recent.add([row(10), row(11), row(13)]);
    expect(recent.page(9, 13, 100, undefined)).toBeNull();
    expect(recent.page(8, 11, 100, undefined)).toBeNull();
    expect(recent.page(10, 14, 100, undefined)).toBeNull();
    // Overwritten by a later lap of the ring.
    recent.add([row(18)]);
    expect(recent.page(9, 10, 100, undefined)).toBeNull();
  });
});

describe('SQLite live reads with another writer on the file', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it("a subscriber sees the other process's appends between its own store's, in position order", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nrm-recent-'));
    dirs.push(dir);
    const path = join(dir, 'events.db');
    const mine = createSqliteEventStore({ path, pollIntervalMs: 20 });
    const theirs = createSqliteEventStore({ path, pollIntervalMs: 20 });
    const written: string[] = [];
    const append = async (store: typeof mine, stream: string, count: number) => {
      const events = Array.from({ length: count }, () => testEvent());
      await store.append(stream, events);
      written.push(...events.map((event) => event.id));
    };
    const subscription = mine.subscribe();
    const seen: string[] = [];
    const reading = (async () => {
      for await (const event of subscription) {
        seen.push(event.id);
        if (seen.length === 9) return;
      }
    })();
    try {
      await append(mine, 'mine-1', 3);
      await append(theirs, 'theirs-1', 2);
      await append(mine, 'mine-2', 3);
      await append(theirs, 'theirs-2', 1);
      await reading;
      expect(seen).toEqual(written);
    } finally {
      await subscription.close();
      await mine.close();
      await theirs.close();
    }
  });

  it('answers a stream-prefix read from memory with the rows the file answers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nrm-recent-'));
    dirs.push(dir);
    const store = createSqliteEventStore({ path: join(dir, 'events.db') });
    try {
      for (const stream of ['Desk-KH-1', 'desk-la-1', 'case-1', 'desk_y', 'deskAy', 'desk.z']) await store.append(stream, [testEvent()]);
      const head = await store.headPosition();
      const ids = async (options: Parameters<typeof store.readAll>[0]) => {
        const found: string[] = [];
        for await (const event of store.readAll(options)) found.push(event.stream);
        return found;
      };
      for (const streamPrefixes of [['desk-'], ['Desk-KH', 'case'], ['DESK-KH'], ['desk_'], ['deskA'], ['desk.'], ['nothing']]) {
        // Without `to` the read goes to the file; with it, to the rows held in memory.
        const fromFile = await ids({ filter: { streamPrefixes } });
        expect(await ids({ filter: { streamPrefixes }, to: head }), streamPrefixes.join()).toEqual(fromFile);
      }
      expect(await ids({ filter: { streamPrefixes: ['desk-'] } })).toEqual(['desk-la-1']);
    } finally {
      await store.close();
    }
  });
});
