// The pipeline's failure paths, which the conformance suite does not reach: a batch that fails
// on disk while the next one is already planned on top of it, and two writers (each with its
// own writer thread) appending to one file at once. In both, every acknowledged event must be
// stored exactly once, refused ones not at all, and the log must stay dense and verifiable.
import { mkdtempSync, rmSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { NewEvent } from '@nrm/contracts';
import { newId } from '@nrm/contracts';
import { testEvent } from '../testing/test-events.ts';
import { InvalidAppendError } from '../errors.ts';
import { createSqliteEventStore } from './sqlite-event-store.ts';
import { SqliteAppendPipeline } from './sqlite-append-pipeline.ts';
import { sqlitePragmas } from './schema.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function storePath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'nrm-pipeline-'));
  dirs.push(dir);
  return join(dir, 'events.db');
}

/** A store whose writer thread is running: these tests are about the batches that go through it. */
async function openStore(options: Parameters<typeof createSqliteEventStore>[0]): Promise<ReturnType<typeof createSqliteEventStore>> {
  const store = createSqliteEventStore(options);
  await store.writerStarted;
  return store;
}

type Attempt = { stream: string; events: NewEvent[]; ok: boolean; error?: Error };

async function appendAll(store: ReturnType<typeof createSqliteEventStore>, writers: number, perWriter: number, poisoned?: string): Promise<Attempt[]> {
  const attempts: Attempt[] = [];
  await Promise.all(
    Array.from({ length: writers }, async (_, writer) => {
      for (let i = 0; i < perWriter; i++) {
        const stream = `case-${writer}`;
        const id = poisoned && writer === 7 && i === 3 ? poisoned : newId();
        const events = [testEvent({ id, caseId: newId() })];
        try {
          await store.append(stream, events);
          attempts.push({ stream, events, ok: true });
        } catch (error) {
          attempts.push({ stream, events, ok: false, error: error as Error });
        }
      }
    }),
  );
  return attempts;
}

async function expectDenseAndVerified(store: ReturnType<typeof createSqliteEventStore>, acknowledged: number): Promise<void> {
  const positions: number[] = [];
  for await (const event of store.readAll()) positions.push(event.position);
  expect(positions).toEqual(Array.from({ length: acknowledged }, (_, index) => index));
  expect((await store.verifyAll()).ok).toBe(true);
}

describe('sqlite append pipeline', () => {
  it('a batch that fails on disk refuses only its own appends; batches planned on top of it are planned again and land', async () => {
    const path = storePath();
    const store = await openStore({ path, durability: 'normal' });
    const poisoned = newId();
    // The disk refuses exactly one row, the way a full disk or an I/O error would refuse a commit.
    store.database.exec(`CREATE TRIGGER refuse_one BEFORE INSERT ON events WHEN NEW.id = '${poisoned}' BEGIN SELECT RAISE(ABORT, 'simulated I/O error'); END`);
    const attempts = await appendAll(store, 64, 10, poisoned);

    const refused = attempts.filter((attempt) => !attempt.ok);
    expect(refused.some((attempt) => attempt.events[0]!.id === poisoned)).toBe(true);
    for (const attempt of refused) expect(attempt.error!.message).toMatch(/simulated I\/O error/);
    const accepted = attempts.filter((attempt) => attempt.ok);
    expect(accepted.length).toBeGreaterThan(600);

    const stored = new Set<string>();
    for await (const event of store.readAll()) stored.add(event.id);
    for (const attempt of accepted) expect(stored.has(attempt.events[0]!.id)).toBe(true);
    for (const attempt of refused) expect(stored.has(attempt.events[0]!.id)).toBe(false);
    await expectDenseAndVerified(store, accepted.length);

    // The pipeline is usable again afterwards, with a batch big enough for the writer thread.
    store.database.exec('DROP TRIGGER refuse_one');
    expect((await appendAll(store, 16, 2)).every((attempt) => attempt.ok)).toBe(true);
    await store.close();
  });

  it('two stores on one file (two writer threads) append at once: every event lands once, positions dense, chains intact', async () => {
    const path = storePath();
    const first = await openStore({ path, durability: 'normal' });
    const second = await openStore({ path, durability: 'normal' });
    const [a, b] = await Promise.all([appendAll(first, 24, 15), appendAll(second, 24, 15)]);
    expect([...a, ...b].filter((attempt) => !attempt.ok).map((attempt) => attempt.error?.message)).toEqual([]);
    await expectDenseAndVerified(first, 2 * 24 * 15);
    // Both wrote the same stream names: each stream's revisions continue across both writers.
    const stream = await first.readStream('case-3');
    expect(stream.map((event) => event.revision)).toEqual(Array.from({ length: 30 }, (_, index) => index));
    await Promise.all([first.close(), second.close()]);
  });

  it('one batch over many streams, some new and some stored, checks each expected revision against its own stream head', async () => {
    const store = await openStore({ path: storePath() });
    try {
      // Stored heads at different revisions, written one by one so they are in the database, not in flight.
      for (let stream = 0; stream < 8; stream++) await store.append(`held-${stream}`, Array.from({ length: stream + 1 }, () => testEvent()));
      // Submitted in one turn, so they are planned as one batch: the heads come from one lookup.
      const outcomes = await Promise.allSettled([
        ...Array.from({ length: 8 }, (_, stream) => store.append(`held-${stream}`, [testEvent()], { expectedRevision: stream })),
        ...Array.from({ length: 8 }, (_, stream) => store.append(`held-${stream}`, [testEvent()], { expectedRevision: stream + 5 })),
        ...Array.from({ length: 8 }, (_, stream) => store.append(`fresh-${stream}`, [testEvent()], { expectedRevision: 'no_stream' })),
        store.append('held-3', [testEvent()], { expectedRevision: 'no_stream' }),
      ]);
      expect(outcomes.map((outcome) => outcome.status)).toEqual([...Array(8).fill('fulfilled'), ...Array(8).fill('rejected'), ...Array(8).fill('fulfilled'), 'rejected']);
      for (let stream = 0; stream < 8; stream++) expect((await store.readStream(`held-${stream}`)).length).toBe(stream + 2);
      expect((await store.verifyAll()).ok).toBe(true);
    } finally {
      await store.close();
    }
  });

  it('a stream head remembered from its own commit is not trusted once another store wrote the stream: refusals and revisions follow the file', async () => {
    const path = storePath();
    const first = await openStore({ path });
    const second = await openStore({ path });
    try {
      await first.append('shared', [testEvent()]);
      await first.append('shared', [testEvent()], { expectedRevision: 0 });
      // `first` remembers shared@1; the file moves on to shared@2 through `second`.
      await second.append('shared', [testEvent()], { expectedRevision: 1 });
      // Matches the file, not the memory: accepted, not refused on what was remembered.
      expect((await first.append('shared', [testEvent()], { expectedRevision: 2 })).nextRevision).toBe(3);
      await second.append('shared', [testEvent()], { expectedRevision: 3 });
      // Matches the memory, not the file: refused, and the refusal names the stored head.
      await expect(first.append('shared', [testEvent()], { expectedRevision: 3 })).rejects.toThrow('expected revision 3, actual 4');
      await second.append('shared', [testEvent()], { expectedRevision: 4 });
      // No expectation: planned on the memory, refused by the tail check, planned again on the file.
      expect((await first.append('shared', [testEvent()], { expectedRevision: 'any' })).nextRevision).toBe(6);
      const stream = await first.readStream('shared');
      expect(stream.map((event) => event.revision)).toEqual([0, 1, 2, 3, 4, 5, 6]);
      expect((await first.verifyAll()).ok).toBe(true);
    } finally {
      await Promise.all([first.close(), second.close()]);
    }
  });

  it('a batch planned before the writer thread has started is written on the main thread at once; once it has started, batches go to it', async () => {
    const path = storePath();
    await (await openStore({ path, durability: 'normal' })).close();
    const database = new DatabaseSync(path);
    database.exec(sqlitePragmas('normal'));
    const pipeline = new SqliteAppendPipeline({ database, path, durability: 'normal', lookupEvents: () => new Map(), lookupHeads: () => new Map(), onCommitted: () => undefined });
    const stored = () => (database.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
    const batch = (stream: string) => [{ stream, events: Array.from({ length: 20 }, () => testEvent()), expectedRevision: 'no_stream' as const }];
    try {
      // In the turn the pipeline was made in, its thread cannot have said it is ready: these 20
      // rows (more than a lone append's inline limit) are on disk before the promise is awaited.
      const early = pipeline.commit(batch('early'));
      expect(pipeline.writing).toBe(false);
      expect(stored()).toBe(20);
      await early;
      await pipeline.writerStarted;
      const later = pipeline.commit(batch('later'));
      expect(pipeline.writing).toBe(true);
      await later;
      expect(stored()).toBe(40);
    } finally {
      await pipeline.close();
      database.close();
    }
  });

  it('an acknowledged append is on disk for a new reader at once (the writer thread has committed it)', async () => {
    const path = storePath();
    const store = await openStore({ path });
    const events = Array.from({ length: 12 }, () => testEvent({ caseId: newId() }));
    const result = await store.append('case-durable', events);
    const reader = await openStore({ path });
    expect((await reader.readStream('case-durable')).map((event) => event.id)).toEqual(result.events.map((event) => event.id));
    await Promise.all([store.close(), reader.close()]);
  });

  describe('a large batch written in parts while it is planned', () => {
    const big = (count: number, overrides: (index: number) => Partial<NewEvent> = () => ({})) => Array.from({ length: count }, (_, index) => testEvent(overrides(index)));

    it('lands whole and in order beside small appends, and a new reader sees it at once', async () => {
      const path = storePath();
      const store = await openStore({ path });
      const events = big(2_000);
      const [result] = await Promise.all([store.append('import-1', events), appendAll(store, 8, 5)]);
      expect(result.events.map((event) => event.revision)).toEqual(Array.from({ length: 2_000 }, (_, index) => index));
      const reader = await openStore({ path });
      expect((await reader.readStream('import-1')).map((event) => event.id)).toEqual(events.map((event) => event.id));
      await expectDenseAndVerified(store, 2_040);
      await Promise.all([store.close(), reader.close()]);
    });

    it('a failure part way (a payload that cannot be hashed, a row the disk refuses) leaves none of it behind, and the store carries on', async () => {
      const store = await openStore({ path: storePath(), durability: 'normal' });
      await store.append('before', big(3));
      // Planning fails at event 1,200, after several parts were written in the open transaction;
      // the appends planned in the same batch, before and after it, still land.
      const outcomes = await Promise.allSettled([
        store.append('import-good', big(600)),
        store.append('import-bad-payload', big(1_500, (index) => (index === 1_200 ? { data: { amount: 10n } } : {}))),
        store.append('single-good', big(1)),
      ]);
      expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect((outcomes[1] as PromiseRejectedResult).reason).toBeInstanceOf(InvalidAppendError);
      // The disk refuses event 700 of another import.
      const refusedId = newId();
      store.database.exec(`CREATE TRIGGER refuse_one BEFORE INSERT ON events WHEN NEW.id = '${refusedId}' BEGIN SELECT RAISE(ABORT, 'simulated I/O error'); END`);
      await expect(store.append('import-refused', big(1_500, (index) => (index === 700 ? { id: refusedId } : {})))).rejects.toThrow(/simulated I\/O error/);
      store.database.exec('DROP TRIGGER refuse_one');
      expect(await store.readStream('import-bad-payload')).toEqual([]);
      expect(await store.readStream('import-refused')).toEqual([]);
      await store.append('after', big(600));
      expect((await store.readStream('import-good')).length).toBe(600);
      await expectDenseAndVerified(store, 1_204);
      await store.close();
    });

    it('two stores importing into one file at once: each large batch lands once, the conflicts planned again', async () => {
      const path = storePath();
      const first = await openStore({ path, durability: 'normal' });
      const second = await openStore({ path, durability: 'normal' });
      const imports = (store: typeof first, name: string) => Promise.all(Array.from({ length: 4 }, (_, index) => store.append(`${name}-${index}`, big(700))));
      await Promise.all([imports(first, 'a'), imports(second, 'b')]);
      await expectDenseAndVerified(first, 8 * 700);
      await Promise.all([first.close(), second.close()]);
    });
  });
});
