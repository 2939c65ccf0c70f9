import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RecordedEvent } from '@nrm/contracts';
import { createSqliteEventStore } from '@nrm/eventstore';
import type { EventStore } from '@nrm/eventstore';
import { testEvent, testEvents } from '@nrm/eventstore/testing';
import { catchUp, rebuildProjection } from './catch-up.ts';
import { ProjectionFailedError } from './errors.ts';
import type { Projection } from './projection.ts';
import type { ProjectionDocument, ProjectionStore } from './projection-store.ts';
import { runProjection } from './run-projection.ts';
import type { ProjectionErrorContext, ProjectionHandle, ProjectionStatus } from './run-projection.ts';
import { createSqliteProjectionStore } from './sqlite/sqlite-projection-store.ts';
import { eventsPerStreamProjection } from './testing/events-per-stream-projection.ts';
import type { StreamSummary } from './testing/events-per-stream-projection.ts';

type Service = { path: string; events: ReturnType<typeof createSqliteEventStore>; projections: ProjectionStore };

const dirs: string[] = [];
const running: AbortController[] = [];
const services: Service[] = [];

afterEach(async () => {
  for (const controller of running.splice(0)) controller.abort();
  for (const service of services.splice(0)) await service.events.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** The embedded layout: events and read models in one SQLite file, on one connection. */
function openService(path?: string): Service {
  if (path === undefined) {
    const dir = mkdtempSync(join(tmpdir(), 'nrm-projections-runtime-'));
    dirs.push(dir);
    path = join(dir, 'service.db');
  }
  const events = createSqliteEventStore({ path, durability: 'normal', pollIntervalMs: 50 });
  const service = { path, events, projections: createSqliteProjectionStore({ database: events.database }) };
  services.push(service);
  return service;
}

type Started = ProjectionHandle & { stop(): Promise<ProjectionStatus> };

function start(service: Service, projection: Projection, options: { batchSize?: number; errors?: [unknown, ProjectionErrorContext][]; projections?: ProjectionStore } = {}): Started {
  const controller = new AbortController();
  running.push(controller);
  const handle = runProjection({
    store: service.events,
    projections: options.projections ?? service.projections,
    projection,
    signal: controller.signal,
    batchSize: options.batchSize,
    retryDelayMs: 10,
    onError: (error, context) => options.errors?.push([error, context]),
  });
  return Object.assign(handle, {
    stop() {
      controller.abort();
      return within(handle.done, 5_000, 'the projection to stop');
    },
  });
}

async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function until(condition: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function allDocuments(projections: ProjectionStore, name: string, partitions: readonly string[]): Promise<ProjectionDocument[]> {
  const documents: ProjectionDocument[] = [];
  for (const partition of partitions) {
    let after: string | undefined;
    do {
      const page = await projections.list(name, { partition, limit: 500, ...(after === undefined ? {} : { after }) });
      documents.push(...page.items);
      after = page.nextCursor ?? undefined;
    } while (after !== undefined);
  }
  return documents;
}

/** What the example projection must hold: per stream the revisions 0..n-1 of its matching events. */
async function expectedSummaries(events: EventStore, accept: (event: RecordedEvent) => boolean): Promise<Map<string, number[]>> {
  const revisions = new Map<string, number[]>();
  for await (const event of events.readAll()) {
    if (!accept(event)) continue;
    revisions.set(event.stream, [...(revisions.get(event.stream) ?? []), event.revision]);
  }
  return revisions;
}

function summariesOf(documents: readonly ProjectionDocument[]): Map<string, number[]> {
  return new Map(documents.map((document) => [document.key, (document.doc as StreamSummary).revisions]));
}

const rescueEvent = () => testEvent({ type: 'rescue.RescueRequested', agency: 'rescue' });

describe('runProjection', () => {
  it('keeps live documents equal to the ones a rebuild gives, and to the log', async () => {
    const service = openService();
    const projection = eventsPerStreamProjection({ filter: { streamPrefixes: ['case-'] } });
    await Promise.all(Array.from({ length: 60 }, (_, i) => service.events.append(i % 4 === 0 ? `other-${i % 3}` : `case-${i % 9}`, i % 2 ? testEvents(3) : [rescueEvent()])));
    const handle = start(service, projection, { batchSize: 25 });
    // Appends keep arriving while the projection catches up and goes live.
    for (let round = 0; round < 10; round++) {
      await Promise.all(Array.from({ length: 8 }, (_, i) => service.events.append(`case-${(round + i) % 11}`, i % 3 ? testEvents(2) : [rescueEvent()])));
    }
    const head = await service.events.headPosition();
    expect(await handle.waitForPosition(head, 10_000)).toBe(true);
    expect(handle.status.state).toBe('running');

    const live = await allDocuments(service.projections, projection.name, ['intake', 'rescue']);
    const liveCheckpoint = await service.projections.checkpoint(projection.name);
    expect(summariesOf(live)).toEqual(await expectedSummaries(service.events, (event) => event.stream.startsWith('case-')));
    expect(await handle.stop()).toMatchObject({ state: 'stopped', position: liveCheckpoint!.position });

    const rebuilt = await rebuildProjection({ store: service.events, projections: service.projections, projection, batchSize: 40 });
    expect(rebuilt.events).toBe([...summariesOf(live).values()].reduce((sum, revisions) => sum + revisions.length, 0));
    expect(rebuilt.ms).toBeGreaterThanOrEqual(0);
    expect(await allDocuments(service.projections, projection.name, ['intake', 'rescue'])).toEqual(live);
    expect(await service.projections.checkpoint(projection.name)).toEqual(liveCheckpoint);
  });

  it('applies each event exactly once across a close in mid-run and a restart', async () => {
    const first = openService();
    const projection = eventsPerStreamProjection();
    const handle = start(first, projection, { batchSize: 5 });
    let appended = 0;
    let closing = false;
    const appending = (async () => {
      // The event store's close waits for pending appends, so the appender stops asking once it starts.
      while (!closing) {
        await first.events.append(`case-${appended % 13}`, [testEvent()]);
        appended++;
      }
    })();
    await until(() => handle.status.position >= 100, 10_000, 'the projection to apply 100 events');
    // The "crash": the store goes away under the running projection while appends are in flight.
    services.splice(services.indexOf(first), 1);
    closing = true;
    await within(first.events.close(), 5_000, 'the event store to close');
    await within(appending, 5_000, 'the appender to stop');
    expect(await within(handle.done, 5_000, 'the projection to stop')).toMatchObject({ state: 'stopped' });

    const second = openService(first.path);
    const checkpoint = await second.projections.checkpoint(projection.name);
    const head = await second.events.headPosition();
    expect(head).toBe(appended - 1);
    const restarted = start(second, projection, { batchSize: 5 });
    await Promise.all(Array.from({ length: 20 }, (_, i) => second.events.append(`case-${i % 13}`, [testEvent()])));
    const last = await second.events.headPosition();
    expect(await restarted.waitForPosition(last, 10_000)).toBe(true);
    const documents = await allDocuments(second.projections, projection.name, ['intake']);
    expect(summariesOf(documents)).toEqual(await expectedSummaries(second.events, () => true));
    expect(checkpoint!.position).toBeLessThanOrEqual(head);
  });

  it('drops and rebuilds the documents at start when the version changed, and only then', async () => {
    const service = openService();
    await Promise.all(Array.from({ length: 20 }, (_, i) => service.events.append(`case-${i % 5}`, [i % 2 ? testEvent() : rescueEvent()])));
    const v1 = eventsPerStreamProjection({ name: 'test.versioned', version: 1, filter: { agencies: ['intake'] } });
    await catchUp({ store: service.events, projections: service.projections, projection: v1 });
    expect(await service.projections.count(v1.name, { partition: 'intake' })).toBe(5);

    const v2 = eventsPerStreamProjection({ name: 'test.versioned', version: 2, filter: { agencies: ['rescue'] } });
    const handle = start(service, v2);
    expect(await handle.waitForPosition(await service.events.headPosition(), 10_000)).toBe(true);
    expect(handle.status).toMatchObject({ state: 'running', version: 2, rebuiltFromVersion: 1 });
    expect(await service.projections.count(v2.name, { partition: 'intake' })).toBe(0);
    expect(summariesOf(await allDocuments(service.projections, v2.name, ['rescue']))).toEqual(await expectedSummaries(service.events, (event) => event.agency === 'rescue'));
    expect((await service.projections.checkpoint(v2.name))?.version).toBe(2);
    await handle.stop();

    const again = await catchUp({ store: service.events, projections: service.projections, projection: v2 });
    expect(again).toEqual({ events: 0, position: (await service.projections.checkpoint(v2.name))!.position });
  });

  it('stops at an event its apply throws on, reports it once, and keeps the checkpoint before it', async () => {
    const service = openService();
    const example = eventsPerStreamProjection({ name: 'test.poisoned' });
    const projection: Projection = {
      ...example,
      apply(event, tx) {
        if (event.data.poison === true) throw new Error('cannot read this event');
        example.apply(event, tx);
      },
    };
    await service.events.append('case-a', testEvents(6));
    const poisoned = await service.events.append('case-b', [testEvent({ data: { poison: true } })]);
    await service.events.append('case-a', testEvents(4));
    const poisonAt = poisoned.position;

    const errors: [unknown, ProjectionErrorContext][] = [];
    const handle = start(service, projection, { batchSize: 100, errors });
    const status = await within(handle.done, 5_000, 'the projection to fail');
    expect(status).toMatchObject({ state: 'failed', position: poisonAt - 1 });
    expect(status.failure).toBeInstanceOf(ProjectionFailedError);
    expect(status.failure!.event).toEqual({ position: poisonAt, id: poisoned.events[0]!.id, type: 'intake.TipReceived', stream: 'case-b' });
    expect(status.failure!.message).toContain('cannot read this event');
    expect(errors).toHaveLength(1);
    expect(errors[0]![1]).toEqual({ projection: 'test.poisoned', fatal: true, event: status.failure!.event });
    // The events before it in the same batch are applied; nothing after it is.
    expect(await service.projections.checkpoint(projection.name)).toEqual({ position: poisonAt - 1, version: 1 });
    expect((await service.projections.get(projection.name, 'case-a'))?.doc).toMatchObject({ events: 6 });
    expect(await service.projections.get(projection.name, 'case-b')).toBeUndefined();
    expect(await handle.waitForPosition(poisonAt + 1, 5_000)).toBe(false);

    // Deterministic: a restart fails on the same event instead of skipping it.
    const again = await within(start(service, projection).done, 5_000, 'the restarted projection to fail');
    expect(again.failure!.event!.position).toBe(poisonAt);
    const caught = await catchUp({ store: service.events, projections: service.projections, projection }).catch((error: unknown) => error);
    expect(caught).toBeInstanceOf(ProjectionFailedError);
    expect((caught as ProjectionFailedError).event?.position).toBe(poisonAt);
    expect(await service.projections.checkpoint(projection.name)).toEqual({ position: poisonAt - 1, version: 1 });
  });

  it('commits one transaction per batch, with whatever has arrived when live', async () => {
    const service = openService();
    let transactions = 0;
    const counting: ProjectionStore = {
      ...service.projections,
      transaction: (projection, work) => {
        transactions++;
        return service.projections.transaction(projection, work);
      },
    };
    await Promise.all(Array.from({ length: 25 }, (_, i) => service.events.append(`case-${i % 7}`, testEvents(10))));
    const projection = eventsPerStreamProjection();
    const caughtUp = await catchUp({ store: service.events, projections: counting, projection, batchSize: 100 });
    expect(caughtUp).toEqual({ events: 250, position: 249 });
    expect(transactions).toBe(3);

    const handle = start(service, projection, { batchSize: 100, projections: counting });
    await until(() => handle.status.state === 'running', 5_000, 'the projection to start');
    transactions = 0;
    const { position } = await service.events.append('case-live', testEvents(3));
    expect(await handle.waitForPosition(position, 5_000)).toBe(true);
    expect(transactions).toBe(1);
    expect((await service.projections.get(projection.name, 'case-live'))?.doc).toMatchObject({ events: 3 });
  });

  it('reports a failing store and retries, losing and repeating nothing', async () => {
    const service = openService();
    let failuresLeft = 3;
    const flaky: ProjectionStore = {
      ...service.projections,
      transaction: (projection, work) => {
        if (failuresLeft-- > 0) return Promise.reject(new Error('connection reset'));
        return service.projections.transaction(projection, work);
      },
    };
    await Promise.all(Array.from({ length: 10 }, (_, i) => service.events.append(`case-${i % 3}`, testEvents(4))));
    const errors: [unknown, ProjectionErrorContext][] = [];
    const projection = eventsPerStreamProjection();
    const handle = start(service, projection, { batchSize: 7, errors, projections: flaky });
    expect(await handle.waitForPosition(await service.events.headPosition(), 10_000)).toBe(true);
    expect(handle.status.state).toBe('running');
    expect(errors.map(([error, context]) => [(error as Error).message, context.fatal])).toEqual(Array.from({ length: 3 }, () => ['connection reset', false]));
    expect(summariesOf(await allDocuments(service.projections, projection.name, ['intake']))).toEqual(await expectedSummaries(service.events, () => true));
  });

  it('goes on from the stored checkpoint when a rebuild resets the documents under it', async () => {
    const service = openService();
    const projection = eventsPerStreamProjection();
    await Promise.all(Array.from({ length: 30 }, (_, i) => service.events.append(`case-${i % 6}`, testEvents(5))));
    const errors: [unknown, ProjectionErrorContext][] = [];
    const handle = start(service, projection, { batchSize: 10, errors });
    expect(await handle.waitForPosition(await service.events.headPosition(), 10_000)).toBe(true);
    const appending = Promise.all(Array.from({ length: 40 }, (_, i) => service.events.append(`case-${i % 6}`, testEvents(2))));
    await rebuildProjection({ store: service.events, projections: service.projections, projection, batchSize: 10 });
    await appending;
    await service.events.append('case-last', [testEvent()]);
    expect(await handle.waitForPosition(await service.events.headPosition(), 10_000)).toBe(true);
    expect(handle.status.state).toBe('running');
    expect(summariesOf(await allDocuments(service.projections, projection.name, ['intake']))).toEqual(await expectedSummaries(service.events, () => true));
    expect(errors.every(([, context]) => !context.fatal)).toBe(true);
  });

  it('refuses a projection it cannot run', () => {
    const service = openService();
    expect(() => start(service, { ...eventsPerStreamProjection(), name: 'no spaces allowed' })).toThrow(/projection name/);
    expect(() => start(service, { ...eventsPerStreamProjection(), version: -1 })).toThrow(/version/);
    expect(() => start(service, eventsPerStreamProjection(), { batchSize: 0 })).toThrow(/batchSize/);
  });
});

describe('waitForPosition', () => {
  it('resolves once the projection applied an appended event, and at once for an event it does not take', async () => {
    const service = openService();
    const handle = start(service, eventsPerStreamProjection({ filter: { agencies: ['rescue'] } }));
    const { position } = await service.events.append('case-1', [rescueEvent()]);
    expect(await handle.waitForPosition(position, 5_000)).toBe(true);
    expect(handle.status.position).toBe(position);

    const ignored = await service.events.append('case-2', testEvents(3));
    const started = Date.now();
    expect(await handle.waitForPosition(ignored.position, 5_000)).toBe(true);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(handle.status.position).toBe(position);
  });

  it('waits for a position not yet appended, and times out when it does not come', async () => {
    const service = openService();
    const handle = start(service, eventsPerStreamProjection());
    await service.events.append('case-1', [testEvent()]);
    const head = await service.events.headPosition();

    const started = Date.now();
    expect(await handle.waitForPosition(head + 5, 150)).toBe(false);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(Date.now() - started).toBeLessThan(2_000);

    const waiting = handle.waitForPosition(head + 5, 5_000);
    await service.events.append('case-1', testEvents(5));
    expect(await waiting).toBe(true);
  });

  it('answers false once the projection has stopped', async () => {
    const service = openService();
    const handle = start(service, eventsPerStreamProjection());
    await handle.stop();
    await service.events.append('case-1', [testEvent()]);
    expect(await handle.waitForPosition(0, 5_000)).toBe(false);
  });
});
