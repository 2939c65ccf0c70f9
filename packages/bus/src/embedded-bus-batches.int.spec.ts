// The embedded bus's batch consumers and its caught-up checkpoints: what arrived together comes
// in one call; a failed batch is delivered again event by event (retries, dead letters); a
// consumer counts as caught up only once everything before the head is handled; and a consumer
// that catches up after every commit saves its position at most once per caughtUpSaveMs.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { newId } from '@nrm/contracts';
import type { RecordedEvent } from '@nrm/contracts';
import { createSqliteEventStore } from '@nrm/eventstore';
import { testEvent } from '@nrm/eventstore/testing';
import { createEmbeddedBus } from './embedded-bus.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function openStore() {
  const dir = mkdtempSync(join(tmpdir(), 'nrm-bus-batches-'));
  const store = createSqliteEventStore({ path: join(dir, 'events.db'), pollIntervalMs: 50 });
  cleanups.push(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return store;
}

describe('the embedded bus, consumers with a batch handler', () => {
  it('hands over what is already in the log in few calls, every event once and in order', async () => {
    const store = openStore();
    const type = `intake.Batched${newId().slice(-6)}`;
    const appended: RecordedEvent[] = [];
    for (let i = 0; i < 4; i++) appended.push(...(await store.append(`s-${i}`, Array.from({ length: 50 }, () => testEvent({ type })))).events);
    const calls: string[][] = [];
    const singles: string[] = [];
    const bus = createEmbeddedBus(store);
    const consumer = bus.consume({
      consumer: `batches-${newId()}`,
      filter: { types: [type] },
      handleBatch: async (events) => void calls.push(events.map((event) => event.id)),
      handler: async (event) => void singles.push(event.id),
    });
    await consumer.waitForPosition(appended.at(-1)!.position);
    await bus.close();
    expect([...calls.flat(), ...singles]).toEqual(appended.map((event) => event.id));
    expect(calls.length).toBeLessThanOrEqual(2);
    expect(consumer.status()).toMatchObject({ handled: 200, deadLettered: 0 });
  });

  it('delivers a failed batch again event by event: retried, the poisonous one dead-lettered, nothing lost', async () => {
    const store = openStore();
    const type = `intake.BatchFails${newId().slice(-6)}`;
    const events = (await store.append(`s-${newId()}`, Array.from({ length: 6 }, () => testEvent({ type })))).events;
    const poison = events[3]!.id;
    const handled: string[] = [];
    const dead: string[] = [];
    let batchCalls = 0;
    const bus = createEmbeddedBus(store);
    const consumer = bus.consume({
      consumer: `batch-fails-${newId()}`,
      filter: { types: [type] },
      maxAttempts: 2,
      handleBatch: async () => {
        batchCalls++;
        throw new Error('the batch cannot be taken');
      },
      handler: async (event) => {
        if (event.id === poison) throw new Error('poison');
        handled.push(event.id);
      },
      onDeadLetter: (event) => void dead.push(event.id),
    });
    await consumer.waitForPosition(events.at(-1)!.position);
    await bus.close();
    expect(batchCalls).toBe(1);
    expect(handled).toEqual(events.filter((event) => event.id !== poison).map((event) => event.id));
    expect(dead).toEqual([poison]);
    expect(consumer.status()).toMatchObject({ handled: 5, deadLettered: 1, retried: 1 });
  });

  it('is caught up with the head only once the batch before it is handled', async () => {
    const store = openStore();
    const type = `intake.SlowBatch${newId().slice(-6)}`;
    const mine = (await store.append(`s-${newId()}`, Array.from({ length: 3 }, () => testEvent({ type })))).events;
    // Events the consumer does not want: the head moves past its last event.
    const others = (await store.append(`s-${newId()}`, [testEvent({ type: 'intake.NotForIt' })])).events;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const archived: string[] = [];
    const bus = createEmbeddedBus(store);
    const consumer = bus.consume({
      consumer: `slow-${newId()}`,
      filter: { types: [type] },
      handleBatch: async (events) => {
        await gate;
        archived.push(...events.map((event) => event.id));
      },
      handler: async (event) => {
        await gate;
        archived.push(event.id);
      },
    });
    let reached = false;
    const waiting = consumer.waitForPosition(others[0]!.position).then(() => (reached = true));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(reached).toBe(false);
    expect(consumer.status().position).toBeLessThan(mine[0]!.position);
    release();
    await waiting;
    expect(archived).toEqual(mine.map((event) => event.id));
    await bus.close();
  });
});

describe('the embedded bus, caught-up checkpoints', () => {
  it('saves the position of a consumer that keeps catching up at most once per caughtUpSaveMs, and on stop', async () => {
    const store = openStore();
    const saves = vi.spyOn(store, 'saveCheckpoint');
    const bus = createEmbeddedBus(store, { caughtUpSaveMs: 60_000 });
    const name = `steady-${newId()}`;
    const consumer = bus.consume({ consumer: name, filter: { types: ['intake.NeverWritten'] }, handler: async () => undefined });
    let last = -1;
    for (let i = 0; i < 20; i++) {
      last = (await store.append(`s-${i}`, [testEvent()])).events[0]!.position;
      await consumer.waitForPosition(last);
    }
    // Twenty commits, each caught up with: one save at once, the next not due for a minute.
    expect(saves.mock.calls.filter(([checkpoint]) => checkpoint === `bus:${name}`).length).toBeLessThanOrEqual(1);
    await consumer.stop();
    expect(await store.loadCheckpoint(`bus:${name}`)).toBe(last);
  });

  it('saves the last caught-up position on a timer when no further commit comes', async () => {
    const store = openStore();
    const bus = createEmbeddedBus(store, { caughtUpSaveMs: 100 });
    const name = `idle-${newId()}`;
    const consumer = bus.consume({ consumer: name, filter: { types: ['intake.NeverWritten'] }, handler: async () => undefined });
    let last = -1;
    for (let i = 0; i < 3; i++) {
      last = (await store.append(`s-${i}`, [testEvent()])).events[0]!.position;
      await consumer.waitForPosition(last);
    }
    await vi.waitFor(async () => expect(await store.loadCheckpoint(`bus:${name}`)).toBe(last), { timeout: 2_000, interval: 20 });
    await consumer.stop();
  });
});
