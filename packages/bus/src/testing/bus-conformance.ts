// The one conformance suite of the Bus port: the embedded bus runs it here, the Kafka adapter
// against a real broker. A fixture appends to the store that the bus carries events from.
import { describe, expect, it } from 'vitest';
import { newId } from '@nrm/contracts';
import type { NewEvent, RecordedEvent } from '@nrm/contracts';
import { testEvent } from '@nrm/eventstore/testing';
import type { Bus } from '../port.ts';

export type BusFixture = {
  bus: Bus;
  /** Appends to the store the bus carries; returns the recorded events. */
  append(stream: string, events: NewEvent[]): Promise<RecordedEvent[]>;
  /** A second bus instance over the same storage, as after a restart. */
  reopen(): Promise<Bus>;
  cleanup(): Promise<void>;
};

function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const check = () => {
      if (condition()) return resolve();
      if (Date.now() > deadline) return reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      setTimeout(check, 10);
    };
    check();
  });
}

export function describeBusConformance(name: string, open: () => Promise<BusFixture>, skipReason?: string): void {
  const suite = skipReason ? describe.skip : describe;
  if (skipReason) console.warn(`[conformance] ${name} bus suite skipped: ${skipReason}`);

  suite(`Bus conformance: ${name}`, () => {
    async function withBus(body: (fixture: BusFixture) => Promise<void>): Promise<void> {
      const fixture = await open();
      try {
        await body(fixture);
      } finally {
        await fixture.cleanup();
      }
    }

    it('delivers matching events of one case in order, before and after the consumer starts', () =>
      withBus(async ({ bus, append }) => {
        const caseId = newId();
        const type = `intake.BusTest${newId().slice(-6)}`;
        const before = await append(`bus-${caseId}`, Array.from({ length: 3 }, () => testEvent({ caseId, type })));
        const received: RecordedEvent[] = [];
        const consumer = bus.consume({ consumer: `c-${newId()}`, filter: { types: [type] }, handler: async (event) => void received.push(event) });
        await append(`other-${newId()}`, [testEvent({ type: 'intake.Unrelated' })]);
        const after = await append(`bus-${caseId}`, Array.from({ length: 2 }, () => testEvent({ caseId, type })));
        await until(() => received.length >= 5, 10_000, '5 events');
        expect(received.map((event) => event.id)).toEqual([...before, ...after].map((event) => event.id));
        await consumer.waitForPosition(after[1]!.position);
        await consumer.stop();
      }));

    it('gives a consumer with a batch handler every event once and in order, in batches or one by one', () =>
      withBus(async ({ bus, append }) => {
        const caseId = newId();
        const type = `intake.BusBatch${newId().slice(-6)}`;
        const before = await append(`bus-${caseId}`, Array.from({ length: 10 }, () => testEvent({ caseId, type })));
        const received: string[] = [];
        const consumer = bus.consume({
          consumer: `batch-${newId()}`,
          filter: { types: [type] },
          handleBatch: async (events) => void received.push(...events.map((event) => event.id)),
          handler: async (event) => void received.push(event.id),
        });
        const after = await append(`bus-${caseId}`, Array.from({ length: 5 }, () => testEvent({ caseId, type })));
        await consumer.waitForPosition(after.at(-1)!.position);
        expect(received).toEqual([...before, ...after].map((event) => event.id));
        await consumer.stop();
      }));

    it('resumes after a restart without losing an event (at least once)', () =>
      withBus(async ({ bus, append, reopen }) => {
        const name = `resume-${newId()}`;
        const type = `intake.BusResume${newId().slice(-6)}`;
        const seen = new Set<string>();
        const first = bus.consume({ consumer: name, filter: { types: [type] }, handler: async (event) => void seen.add(event.id) });
        const early = await append(`s-${newId()}`, Array.from({ length: 5 }, () => testEvent({ type })));
        await first.waitForPosition(early[4]!.position);
        await first.stop();
        const late = await append(`s-${newId()}`, Array.from({ length: 5 }, () => testEvent({ type })));
        const again = await reopen();
        const redelivered: string[] = [];
        const second = again.consume({ consumer: name, filter: { types: [type] }, handler: async (event) => void redelivered.push(event.id) });
        await second.waitForPosition(late[4]!.position);
        await second.stop();
        for (const event of late) expect(redelivered).toContain(event.id);
        expect(redelivered.filter((id) => early.some((event) => event.id === id))).toHaveLength(0);
        if (again !== bus) await again.close();
      }));

    it('retries a failing handler, then dead-letters an event that never succeeds, and moves on', () =>
      withBus(async ({ bus, append }) => {
        const type = `intake.BusRetry${newId().slice(-6)}`;
        const [flaky, poison, fine] = await append(`s-${newId()}`, [testEvent({ type }), testEvent({ type }), testEvent({ type })]);
        let flakyAttempts = 0;
        const handled: string[] = [];
        const dead: string[] = [];
        const consumer = bus.consume({
          consumer: `retry-${newId()}`,
          filter: { types: [type] },
          maxAttempts: 3,
          onDeadLetter: (event) => void dead.push(event.id),
          handler: async (event) => {
            if (event.id === flaky!.id && ++flakyAttempts < 3) throw new Error('transient');
            if (event.id === poison!.id) throw new Error('poison');
            handled.push(event.id);
          },
        });
        await consumer.waitForPosition(fine!.position, 15_000);
        expect(handled).toEqual([flaky!.id, fine!.id]);
        expect(dead).toEqual([poison!.id]);
        expect(consumer.status()).toMatchObject({ handled: 2, deadLettered: 1 });
        await consumer.stop();
      }));

    it('keeps independent positions for independent consumers', () =>
      withBus(async ({ bus, append }) => {
        const type = `intake.BusIndep${newId().slice(-6)}`;
        const events = await append(`s-${newId()}`, Array.from({ length: 4 }, () => testEvent({ type })));
        const a: string[] = [];
        const b: string[] = [];
        const first = bus.consume({ consumer: `a-${newId()}`, filter: { types: [type] }, handler: async (event) => void a.push(event.id) });
        const second = bus.consume({ consumer: `b-${newId()}`, filter: { types: [type] }, handler: async (event) => void b.push(event.id) });
        await Promise.all([first.waitForPosition(events[3]!.position), second.waitForPosition(events[3]!.position)]);
        expect(a).toEqual(b);
        expect(a).toHaveLength(4);
        await Promise.all([first.stop(), second.stop()]);
      }));

    it('reports a consumer current up to an event it does not consume', () =>
      withBus(async ({ bus, append }) => {
        const consumer = bus.consume({ consumer: `idle-${newId()}`, filter: { types: ['intake.NeverWritten'] }, handler: async () => undefined });
        const [other] = await append(`s-${newId()}`, [testEvent()]);
        await consumer.waitForPosition(other!.position);
        await expect(consumer.waitForPosition(other!.position + 1000, 200)).rejects.toThrow(/did not reach/);
        await consumer.stop();
        expect(consumer.status().state).toBe('stopped');
      }));
  });
}
