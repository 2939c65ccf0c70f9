import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresEventStore } from '@nrm/eventstore';
import { postgresTestUrl, testEvent, testEvents } from '@nrm/eventstore/testing';
import { catchUp, rebuildProjection } from '../catch-up.ts';
import { ProjectionFailedError } from '../errors.ts';
import type { Projection } from '../projection.ts';
import type { ProjectionDocument, ProjectionStore } from '../projection-store.ts';
import { runProjection } from '../run-projection.ts';
import { eventsPerStreamProjection } from '../testing/events-per-stream-projection.ts';
import { dropTestSchema, randomTestSchema } from '../testing/postgres-test-schema.ts';
import { createPostgresProjectionStore } from './postgres-projection-store.ts';

// The distributed layout: events and read models in one PostgreSQL schema, on one pool. Each
// batch here reads documents it has not loaded yet, so every commit goes through the
// load-and-run-again path of the postgres unit of work.
describe('projections on PostgreSQL', () => {
  const schema = randomTestSchema('projections_runtime');
  let events: Awaited<ReturnType<typeof createPostgresEventStore>>;
  let projections: ProjectionStore;

  beforeAll(async () => {
    events = await createPostgresEventStore({ connectionString: postgresTestUrl(), schema, pollIntervalMs: 100 });
    projections = await createPostgresProjectionStore({ pool: events.pool }, schema);
  });
  afterAll(async () => {
    await events?.close();
    await dropTestSchema(schema);
  });

  async function documents(name: string): Promise<ProjectionDocument[]> {
    return (await projections.list(name, { partition: 'intake', limit: 500 })).items;
  }

  it('keeps live documents equal to rebuilt ones', async () => {
    const projection = eventsPerStreamProjection({ name: 'pg.events-per-stream', filter: { streamPrefixes: ['pg-case-'] } });
    await Promise.all(Array.from({ length: 30 }, (_, i) => events.append(i % 5 === 0 ? `pg-other-${i}` : `pg-case-${i % 7}`, testEvents(3))));
    const controller = new AbortController();
    const handle = runProjection({ store: events, projections, projection, signal: controller.signal, batchSize: 20, retryDelayMs: 10 });
    try {
      for (let round = 0; round < 5; round++) await Promise.all(Array.from({ length: 6 }, (_, i) => events.append(`pg-case-${(round + i) % 9}`, testEvents(2))));
      expect(await handle.waitForPosition(await events.headPosition(), 10_000)).toBe(true);
      const live = await documents(projection.name);
      expect(live).toHaveLength(9);
      for (const document of live) {
        const stream = await events.readStream(document.key);
        expect((document.doc as { revisions: number[] }).revisions).toEqual(stream.map((event) => event.revision));
      }
      controller.abort();
      expect((await handle.done).state).toBe('stopped');
      const checkpoint = await projections.checkpoint(projection.name);
      await rebuildProjection({ store: events, projections, projection });
      expect(await documents(projection.name)).toEqual(live);
      expect(await projections.checkpoint(projection.name)).toEqual(checkpoint);
    } finally {
      controller.abort();
    }
  });

  it('stops at the event apply throws on, with the events before it in the batch applied', async () => {
    const example = eventsPerStreamProjection({ name: 'pg.poisoned', filter: { streamPrefixes: ['pg-poison-'] } });
    const projection: Projection = {
      ...example,
      apply(event, tx) {
        if (event.data.poison === true) throw new Error('cannot read this event');
        example.apply(event, tx);
      },
    };
    await events.append('pg-poison-a', testEvents(3));
    const poisoned = await events.append('pg-poison-b', [testEvent({ data: { poison: true } })]);
    await events.append('pg-poison-c', testEvents(2));
    const failure = await catchUp({ store: events, projections, projection, batchSize: 50 }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ProjectionFailedError);
    expect((failure as ProjectionFailedError).event?.position).toBe(poisoned.position);
    expect(await projections.checkpoint(projection.name)).toEqual({ position: poisoned.position - 1, version: 1 });
    expect((await documents(projection.name)).map((document) => document.key)).toEqual(['pg-poison-a']);
  });
});
