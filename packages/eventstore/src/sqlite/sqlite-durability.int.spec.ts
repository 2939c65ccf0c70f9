// Durability on the shared main connection: it rests at synchronous=NORMAL (what services keep
// beside the log needs no fsync of its own), and every event committed on it is raised to FULL
// for that commit; a store opened 'normal' stays NORMAL throughout.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { testEvent } from '../testing/test-events.ts';
import { createSqliteEventStore } from './sqlite-event-store.ts';

const FULL = 2;
const NORMAL = 1;
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function synchronousOf(database: DatabaseSync): number {
  return (database.prepare('PRAGMA synchronous').get() as { synchronous: number }).synchronous;
}

/** Records the synchronous level in force at each statement the connection runs inside a commit. */
function levelsDuringCommits(database: DatabaseSync): number[] {
  const levels: number[] = [];
  const exec = database.exec.bind(database);
  database.exec = (sql: string) => {
    if (/^\s*(BEGIN|COMMIT)/i.test(sql)) levels.push(synchronousOf(database));
    return exec(sql);
  };
  return levels;
}

describe('SQLite durability of the main connection', () => {
  it('rests at NORMAL and commits its events at FULL', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nrm-durability-'));
    dirs.push(dir);
    const store = createSqliteEventStore({ path: join(dir, 'events.db') });
    try {
      expect(synchronousOf(store.database)).toBe(NORMAL);
      const levels = levelsDuringCommits(store.database);
      // A lone small append with nothing in flight is committed on this connection.
      await store.append('stream-a', [testEvent()]);
      expect(levels.length).toBeGreaterThan(0);
      expect(new Set(levels)).toEqual(new Set([FULL]));
      expect(synchronousOf(store.database)).toBe(NORMAL);
    } finally {
      await store.close();
    }
  });

  it("stays NORMAL for a store opened with durability 'normal'", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nrm-durability-'));
    dirs.push(dir);
    const store = createSqliteEventStore({ path: join(dir, 'events.db'), durability: 'normal' });
    try {
      const levels = levelsDuringCommits(store.database);
      await store.append('stream-a', [testEvent()]);
      expect(new Set(levels)).toEqual(new Set([NORMAL]));
    } finally {
      await store.close();
    }
  });
});
