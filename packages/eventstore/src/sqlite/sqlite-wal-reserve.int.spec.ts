// The WAL reserve at open: the WAL is pre-sized with uncommitted frames, and nothing of it is
// visible — no table, no row, no growth of the database file, no change to what was stored.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { testEvent } from '../testing/test-events.ts';
import { WAL_AUTOCHECKPOINT_PAGES } from './schema.ts';
import { createSqliteEventStore } from './sqlite-event-store.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function freshPath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'nrm-wal-reserve-'));
  dirs.push(dir);
  return join(dir, 'events.db');
}

describe('SQLite WAL reserve', () => {
  it('pre-sizes the WAL of a fresh durable store and leaves no trace in the database', async () => {
    const path = freshPath();
    const store = createSqliteEventStore({ path });
    try {
      expect(statSync(`${path}-wal`).size).toBeGreaterThanOrEqual(32 + WAL_AUTOCHECKPOINT_PAGES * (24 + 4096));
      // The fill was rolled back: the database file holds only the schema.
      expect(statSync(path).size).toBeLessThan(64 * 1024);
      const tables = store.database.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all().map((row) => row.name);
      expect(tables).toEqual(['checkpoints', 'events']);
      expect((store.database.prepare('PRAGMA cache_size').get() as { cache_size: number }).cache_size).toBe(-65536);
      await store.append('stream-a', [testEvent(), testEvent()]);
      expect((await store.readStream('stream-a')).map((event) => event.revision)).toEqual([0, 1]);
      expect((await store.verifyAll()).ok).toBe(true);
    } finally {
      await store.close();
    }
  });

  it('keeps every stored event across reopenings, each of which reserves again', async () => {
    const path = freshPath();
    for (let round = 0; round < 3; round++) {
      const store = createSqliteEventStore({ path });
      try {
        expect(statSync(`${path}-wal`).size).toBeGreaterThanOrEqual(32 + WAL_AUTOCHECKPOINT_PAGES * (24 + 4096));
        expect(await store.headPosition()).toBe(round * 10 - 1);
        await store.append(`stream-${round}`, Array.from({ length: 10 }, () => testEvent()));
        expect((await store.verifyAll()).ok).toBe(true);
      } finally {
        await store.close();
      }
    }
  });

  it("reserves nothing for a store opened with durability 'normal', whose commits do not fsync", async () => {
    const path = freshPath();
    const store = createSqliteEventStore({ path, durability: 'normal' });
    try {
      expect(statSync(`${path}-wal`, { throwIfNoEntry: false })?.size ?? 0).toBeLessThan(64 * 1024);
    } finally {
      await store.close();
    }
  });
});
