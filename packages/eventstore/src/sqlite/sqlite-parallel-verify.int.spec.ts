// verifyAll on threads must answer exactly what one pass in order answers (same first break, same
// counts), on an intact log and on each kind of tampering, wherever it falls against the ranges.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatabaseSync } from 'node:sqlite';
import { testEvents } from '../testing/index.ts';
import { createSqliteEventStore } from './sqlite-event-store.ts';

const EVENTS = 3_000;
const dir = mkdtempSync(join(tmpdir(), 'nrm-parallel-verify-'));
const original = join(dir, 'original.db');

async function bothWays(path: string) {
  const inOrder = createSqliteEventStore({ path, parallelVerifyMinEvents: Number.POSITIVE_INFINITY });
  const onThreads = createSqliteEventStore({ path, parallelVerifyMinEvents: 1 });
  try {
    return { inOrder: await inOrder.verifyAll(), onThreads: await onThreads.verifyAll() };
  } finally {
    await inOrder.close();
    await onThreads.close();
  }
}

/** A copy of the intact log with `change` made to it through SQL, as an attacker with the file would. */
function tampered(name: string, change: string): string {
  const path = join(dir, `${name}.db`);
  copyFileSync(original, path);
  const database = new DatabaseSync(path);
  database.exec(change);
  database.close();
  return path;
}

describe('SQLite verifyAll on threads', () => {
  beforeAll(async () => {
    const store = createSqliteEventStore({ path: original, durability: 'normal' });
    // 60 streams interleaved, so every range starts in the middle of most streams.
    for (let round = 0; round < EVENTS / 300; round++) {
      await Promise.all(Array.from({ length: 60 }, (_, stream) => store.append(`case-${stream}`, testEvents(5))));
    }
    await store.close();
    // Closing checkpoints the WAL into the file, so a copy of the file is the whole log.
    const database = new DatabaseSync(original);
    database.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    database.close();
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('agrees on an intact log', async () => {
    const { inOrder, onThreads } = await bothWays(tampered('intact', 'SELECT 1'));
    expect(inOrder).toEqual({ ok: true, checked: EVENTS, streams: 60, lastPosition: EVENTS - 1 });
    expect(onThreads).toEqual(inOrder);
  });

  const cases: [string, string][] = [
    ['a changed byte in the second range', `UPDATE events SET body = replace(body, '"revision":', '"revision": ') WHERE position = 2222`],
    ['a changed byte in the first event', `UPDATE events SET body = replace(body, '"revision":', '"revision": ') WHERE position = 0`],
    ['the first event of the second range deleted', `DELETE FROM events WHERE position = ${EVENTS / 2}`],
    ['the last event of the first range deleted', `DELETE FROM events WHERE position = ${EVENTS / 2 - 1}`],
    ['the first event deleted', 'DELETE FROM events WHERE position = 0'],
    [
      'two events swapped across the ranges (texts and hashes)',
      `CREATE TEMP TABLE swap AS SELECT position, body, hash FROM events WHERE position IN (1000, 2000);
       UPDATE events SET body = (SELECT body FROM swap WHERE swap.position = 3000 - events.position),
                         hash = (SELECT hash FROM swap WHERE swap.position = 3000 - events.position)
       WHERE position IN (1000, 2000)`,
    ],
    ['a prevHash changed in the second range', `UPDATE events SET body = replace(body, '"prevHash":"', '"prevHash":"f') WHERE position = 1800`],
  ];
  for (const [name, change] of cases) {
    it(`finds the same first break: ${name}`, async () => {
      const { inOrder, onThreads } = await bothWays(tampered(name.replace(/\W+/g, '-'), change));
      expect(inOrder.ok).toBe(false);
      expect(onThreads).toEqual(inOrder);
    });
  }
});
