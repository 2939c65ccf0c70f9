// Live subscriptions share one reading of the file's head per turn of the event loop (a commit
// wakes them all at once). The reading must never hide a commit of this process from them: with
// polling out of the picture, every subscriber gets every append as soon as it is acknowledged.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RecordedEvent } from '@nrm/contracts';
import { testEvent } from '../testing/test-events.ts';
import { createSqliteEventStore } from './sqlite-event-store.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('SQLite live subscriptions and the head they share', () => {
  it('every subscriber gets each append at once, whether it was written on the main thread or the writer thread', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nrm-head-'));
    dirs.push(dir);
    // A poll an hour away: only being woken by the commit can deliver in time.
    const store = createSqliteEventStore({ path: join(dir, 'events.db'), pollIntervalMs: 3_600_000 });
    const subscriptions = Array.from({ length: 5 }, () => store.subscribe());
    const seen = subscriptions.map(() => [] as RecordedEvent[]);
    const reading = subscriptions.map(async (subscription, at) => {
      for await (const event of subscription) seen[at]!.push(event);
    });
    const allSeen = async (count: number) => {
      const deadline = Date.now() + 2_000;
      while (seen.some((events) => events.length < count)) {
        if (Date.now() > deadline) throw new Error(`after 2 s the subscribers had ${seen.map((events) => events.length).join(', ')} of ${count}`);
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
    };
    try {
      // One at a time (small batches with nothing in flight are committed on the main thread)…
      for (let i = 0; i < 40; i++) {
        await store.append(`one-${i % 3}`, [testEvent()]);
        await allSeen(i + 1);
      }
      // …and many at once (the writer thread, batches in flight).
      await Promise.all(Array.from({ length: 64 }, (_, writer) => store.append(`many-${writer}`, [testEvent(), testEvent()])));
      await allSeen(40 + 128);
      for (const events of seen) expect(events.map((event) => event.position)).toEqual(Array.from({ length: 168 }, (_, position) => position));
    } finally {
      await Promise.all(subscriptions.map((subscription) => subscription.close()));
      await Promise.all(reading);
      await store.close();
    }
  });
});
