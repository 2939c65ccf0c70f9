// The one-round-trip append on top of what this process last wrote, against a real PostgreSQL:
// it is taken in steady state, and whenever what the process remembers is no longer the truth
// (another process appended, a stream existed before the process knew it, an id is stored) the
// batch goes the careful way and the log comes out exactly as if it had gone that way always.
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { newId } from '@nrm/contracts';
import { WrongExpectedRevisionError } from '../errors.ts';
import { testEvent } from '../testing/test-events.ts';
import { postgresTestUrl } from '../testing/postgres-test-url.ts';
import { createPostgresEventStore } from './postgres-event-store.ts';

const url = postgresTestUrl();
const schemas: string[] = [];

afterAll(async () => {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  for (const schema of schemas) await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await admin.end();
});

async function openPair() {
  const schema = `nrm_known_${newId().toLowerCase()}`;
  schemas.push(schema);
  const first = await createPostgresEventStore({ connectionString: url, schema, pollIntervalMs: 100 });
  const second = await createPostgresEventStore({ connectionString: url, schema, pollIntervalMs: 100 });
  return { first, second, close: async () => Promise.all([first.close(), second.close()]) };
}

/** How many round trips (statements sent on any connection) an action costs. */
async function roundTripsOf(action: () => Promise<unknown>): Promise<number> {
  const query = pg.Client.prototype.query;
  let trips = 0;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    trips++;
    return (query as (...parameters: unknown[]) => unknown).apply(this, args);
  } as typeof query;
  try {
    await action();
  } finally {
    pg.Client.prototype.query = query;
  }
  return trips;
}

describe('PostgreSQL appends on top of the known tail', () => {
  it('are one statement in steady state, for known and for new streams', async () => {
    const { first, close } = await openPair();
    try {
      await first.append('case-a', [testEvent()]);
      expect(await roundTripsOf(() => first.append('case-a', [testEvent()], { expectedRevision: 0 }))).toBe(1);
      expect(await roundTripsOf(() => first.append(`case-${newId()}`, [testEvent()], { expectedRevision: 'no_stream' }))).toBe(1);
      // A refusal is decided on what is stored: the careful way (lock, look up, commit).
      expect(await roundTripsOf(() => first.append('case-a', [testEvent()], { expectedRevision: 0 }).catch(() => undefined))).toBe(3);
      expect((await first.verifyAll()).ok).toBe(true);
    } finally {
      await close();
    }
  });

  it('go the careful way when another process appended since, to the same stream or another, and keep every chain whole', async () => {
    const { first, second, close } = await openPair();
    try {
      await first.append('shared', [testEvent()]);
      await second.append('shared', [testEvent()], { expectedRevision: 0 });
      await second.append('elsewhere', [testEvent()]);
      // `first` remembers shared@0 at the old tail: the statement refuses, the batch is looked up again.
      const result = await first.append('shared', [testEvent()], { expectedRevision: 1 });
      expect(result.nextRevision).toBe(2);
      await expect(first.append('shared', [testEvent()], { expectedRevision: 1 })).rejects.toThrow(WrongExpectedRevisionError);
      const stream = await first.readStream('shared');
      expect(stream.map((event) => event.revision)).toEqual([0, 1, 2]);
      expect(stream[2]!.prevHash).toBe(stream[1]!.hash);
      expect((await first.verifyAll()).ok).toBe(true);
    } finally {
      await close();
    }
  });

  it('find a stream that existed before the process knew it, and an id already stored', async () => {
    const { first, second, close } = await openPair();
    try {
      await second.append('older', [testEvent(), testEvent()]);
      await first.append('mine', [testEvent()]);
      // `first` knows the tail but not 'older': planned as new, found to exist, looked up.
      const result = await first.append('older', [testEvent()]);
      expect(result.nextRevision).toBe(2);
      const again = testEvent();
      await first.append('mine', [again]);
      const duplicate = await first.append('mine', [again]);
      expect(duplicate.duplicate).toBe(true);
      expect((await first.readStream('mine')).length).toBe(2);
      expect((await first.verifyAll()).ok).toBe(true);
    } finally {
      await close();
    }
  });

  it('keep positions dense and chains whole with two processes appending at once', async () => {
    const { first, second, close } = await openPair();
    try {
      await Promise.all(
        [first, second].flatMap((store, writer) =>
          Array.from({ length: 8 }, async (_, lane) => {
            for (let i = 0; i < 10; i++) await store.append(`lane-${lane % 4}`, [testEvent()]);
            return writer;
          }),
        ),
      );
      expect(await first.headPosition()).toBe(159);
      for (let lane = 0; lane < 4; lane++) expect((await first.readStream(`lane-${lane}`)).map((event) => event.revision)).toEqual(Array.from({ length: 40 }, (_, at) => at));
      expect((await first.verifyAll()).ok).toBe(true);
    } finally {
      await close();
    }
  });
});
