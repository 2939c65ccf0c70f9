// The one conformance suite of the EventStore port. Every adapter runs it (sqlite and
// postgres here for real; eventstoredb wherever a server is reachable) so each promise of
// port.ts is proven on each store, including the expectations other stores tend to ignore.
import { describe, expect, it } from 'vitest';
import { newId } from '@nrm/contracts';
import type { RecordedEvent } from '@nrm/contracts';
import { InvalidAppendError, PartialDuplicateError, StoreClosedError, WrongExpectedRevisionError } from '../errors.ts';
import type { EventStore } from '../port.ts';
import { testEvent, testEvents } from './test-events.ts';

export type ConformanceFixture = {
  store: EventStore;
  /** Opens another instance on the same storage, as a restarted process would. */
  reopen(): Promise<EventStore>;
  /** Changes one byte of the stored event at `position` behind the store's back; absent where storage is immutable from outside. */
  tamper?: (position: number) => Promise<void>;
  cleanup(): Promise<void>;
};

async function collect(iterable: AsyncIterable<RecordedEvent>): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  for await (const event of iterable) events.push(event);
  return events;
}

/** Takes `count` events from a subscription, failing after `timeoutMs` instead of hanging. */
async function take(iterator: AsyncIterator<RecordedEvent>, count: number, timeoutMs = 5000): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  const deadline = Date.now() + timeoutMs;
  while (events.length < count) {
    const remaining = deadline - Date.now();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), Math.max(remaining, 0));
    });
    const next = await Promise.race([iterator.next(), timeout]);
    clearTimeout(timer);
    if (next === 'timeout') throw new Error(`subscription delivered ${events.length} of ${count} events within ${timeoutMs} ms`);
    if (next.done) break;
    events.push(next.value);
  }
  return events;
}

const streamName = (label: string) => `test-${label}-${newId()}`;

export function describeEventStoreConformance(name: string, open: () => Promise<ConformanceFixture>, skipReason?: string): void {
  const suite = skipReason ? describe.skip : describe;
  if (skipReason) console.warn(`[conformance] ${name} event store suite skipped: ${skipReason}`);

  suite(`EventStore conformance: ${name}`, () => {
    async function withStore<T>(body: (fixture: ConformanceFixture) => Promise<T>): Promise<T> {
      const fixture = await open();
      try {
        return await body(fixture);
      } finally {
        await fixture.cleanup();
      }
    }

    describe('expected revision', () => {
      it("'no_stream' creates a stream and is refused once it exists", () =>
        withStore(async ({ store }) => {
          const stream = streamName('no-stream');
          const first = await store.append(stream, [testEvent()], { expectedRevision: 'no_stream' });
          expect(first.nextRevision).toBe(0);
          await expect(store.append(stream, [testEvent()], { expectedRevision: 'no_stream' })).rejects.toBeInstanceOf(WrongExpectedRevisionError);
          expect(await store.readStream(stream)).toHaveLength(1);
        }));

      it("'stream_exists' is refused on a missing stream and accepted on an existing one", () =>
        withStore(async ({ store }) => {
          const stream = streamName('exists');
          const refused = store.append(stream, [testEvent()], { expectedRevision: 'stream_exists' });
          await expect(refused).rejects.toBeInstanceOf(WrongExpectedRevisionError);
          await expect(refused).rejects.toMatchObject({ actual: 'no_stream' });
          expect(await store.readStream(stream)).toEqual([]);
          await store.append(stream, [testEvent()], { expectedRevision: 'no_stream' });
          const second = await store.append(stream, [testEvent()], { expectedRevision: 'stream_exists' });
          expect(second.nextRevision).toBe(1);
        }));

      it('an exact revision must match the last revision; a stale or future one is refused', () =>
        withStore(async ({ store }) => {
          const stream = streamName('exact');
          await expect(store.append(stream, [testEvent()], { expectedRevision: 0 })).rejects.toBeInstanceOf(WrongExpectedRevisionError);
          await store.append(stream, testEvents(2), { expectedRevision: 'no_stream' });
          await expect(store.append(stream, [testEvent()], { expectedRevision: 0 })).rejects.toMatchObject({ actual: 1 });
          await expect(store.append(stream, [testEvent()], { expectedRevision: 5 })).rejects.toBeInstanceOf(WrongExpectedRevisionError);
          const ok = await store.append(stream, testEvents(3), { expectedRevision: 1 });
          expect(ok.nextRevision).toBe(4);
          expect((await store.readStream(stream)).map((event) => event.revision)).toEqual([0, 1, 2, 3, 4]);
        }));

      it("'any' appends whatever the stream's state", () =>
        withStore(async ({ store }) => {
          const stream = streamName('any');
          expect((await store.append(stream, [testEvent()], { expectedRevision: 'any' })).nextRevision).toBe(0);
          expect((await store.append(stream, [testEvent()])).nextRevision).toBe(1);
        }));
    });

    describe('ordering and positions', () => {
      it('reads a stream in revision order with what was appended, hash-chained', () =>
        withStore(async ({ store }) => {
          const stream = streamName('order');
          const caseId = newId();
          const events = testEvents(5, { caseId, data: { note: 'ordered', count: 3, nested: { z: 1, a: [1, 'x'] } } });
          await store.append(stream, events.slice(0, 2), { expectedRevision: 'no_stream' });
          await store.append(stream, events.slice(2), { expectedRevision: 1 });
          const read = await store.readStream(stream);
          expect(read.map((event) => event.id)).toEqual(events.map((event) => event.id));
          expect(read.map((event) => event.revision)).toEqual([0, 1, 2, 3, 4]);
          expect(read[0]).toMatchObject({ stream, caseId, type: events[0]!.type, data: events[0]!.data, prevHash: '0'.repeat(64) });
          for (let i = 1; i < read.length; i++) expect(read[i]!.prevHash).toBe(read[i - 1]!.hash);
          expect(await store.readStream(stream, { fromRevision: 3 })).toHaveLength(2);
          expect(await store.readStream(stream, { fromRevision: 1, limit: 2 })).toHaveLength(2);
          expect(await store.readStream(streamName('missing'))).toEqual([]);
        }));

      it('keeps awkward text exactly, in a batch: quotes, backslashes, control characters, braces, commas, astral characters', () =>
        withStore(async ({ store }) => {
          const stream = streamName('text');
          const notes = ['say "hi"', 'C:\\path\\', 'rs\u001egs\u001dus\u001f', 'tab\tnl\n', '{a,b}', 'NULL', '', 'Lào Cai 🇻🇳 𝄞'];
          const events = notes.map((note) => testEvent({ data: { note, [note]: note } }));
          await store.append(stream, events, { expectedRevision: 'no_stream' });
          const read = await store.readStream(stream);
          expect(read.map((event) => event.data)).toEqual(events.map((event) => event.data));
          expect((await collect(store.readAll({ filter: { streamPrefixes: [stream] } }))).map((event) => event.data)).toEqual(events.map((event) => event.data));
          expect((await store.verifyStream(stream)).ok).toBe(true);
        }));

      it('gives every event a strictly increasing global position across streams, dense where promised', () =>
        withStore(async ({ store }) => {
          const before = await store.headPosition();
          const a = streamName('a');
          const b = streamName('b');
          await store.append(a, testEvents(2));
          await store.append(b, testEvents(3));
          await store.append(a, testEvents(1));
          const all = await collect(store.readAll({ after: before }));
          expect(all.map((event) => event.stream)).toEqual([a, a, b, b, b, a]);
          for (let i = 1; i < all.length; i++) expect(all[i]!.position).toBeGreaterThan(all[i - 1]!.position);
          if (store.capabilities.densePositions) {
            expect(all.map((event) => event.position)).toEqual([1, 2, 3, 4, 5, 6].map((offset) => before + offset));
          }
          expect(await store.headPosition()).toBe(all[all.length - 1]!.position);
          const page = await collect(store.readAll({ after: all[1]!.position, limit: 2 }));
          expect(page.map((event) => event.id)).toEqual([all[2]!.id, all[3]!.id]);
        }));

      it('filters the global log by stream prefix, type and agency', () =>
        withStore(async ({ store }) => {
          const before = await store.headPosition();
          const prefix = `filter-${newId()}`;
          await store.append(`${prefix}-1`, [testEvent({ type: 'rescue.RescueRequested', agency: 'rescue' })]);
          await store.append(streamName('other'), [testEvent({ type: 'intake.TipReceived' })]);
          await store.append(`${prefix}-2`, [testEvent({ type: 'intake.TipReceived' })]);
          // A prefix matches exactly: not another case, and `_` is no wildcard.
          await store.append(`${prefix.toLowerCase()}-9`, [testEvent({ type: 'intake.TipReceived' })]);
          await store.append(`${prefix}x9`, [testEvent({ type: 'intake.TipReceived' })]);
          const byPrefix = await collect(store.readAll({ after: before, filter: { streamPrefixes: [prefix] } }));
          expect(byPrefix.map((event) => event.stream)).toEqual([`${prefix}-1`, `${prefix}-2`, `${prefix}x9`]);
          expect((await collect(store.readAll({ after: before, filter: { streamPrefixes: [`${prefix}_`] } }))).map((event) => event.stream)).toEqual([]);
          const byType = await collect(store.readAll({ after: before, filter: { types: ['rescue.RescueRequested'] } }));
          expect(byType).toHaveLength(1);
          const byAgency = await collect(store.readAll({ after: before, filter: { agencies: ['intake'] } }));
          expect(byAgency).toHaveLength(4);
          const caseId = newId();
          await store.append(`${prefix}-3`, [testEvent({ caseId }), testEvent({ caseId: newId() })]);
          await store.append(`${prefix}-4`, [testEvent({ caseId, type: 'rescue.RescueRequested', agency: 'rescue' })]);
          const byCase = await collect(store.readAll({ after: before, filter: { caseIds: [caseId] } }));
          expect(byCase.map((event) => event.stream)).toEqual([`${prefix}-3`, `${prefix}-4`]);
        }));
    });

    describe('idempotency', () => {
      it('re-appending stored events appends nothing and reports a duplicate, whatever the expected revision', () =>
        withStore(async ({ store }) => {
          const stream = streamName('idem');
          const events = testEvents(2);
          const first = await store.append(stream, events, { expectedRevision: 'no_stream' });
          expect(first.duplicate).toBe(false);
          const head = await store.headPosition();
          const again = await store.append(stream, events, { expectedRevision: 'no_stream' });
          expect(again.duplicate).toBe(true);
          expect(again.events.map((event) => event.hash)).toEqual(first.events.map((event) => event.hash));
          for (const expectedRevision of ['any', 5, 'stream_exists'] as const) {
            const resent = await store.append(stream, events, { expectedRevision });
            expect(resent.duplicate).toBe(true);
            expect(resent.events.map((event) => event.hash)).toEqual(first.events.map((event) => event.hash));
          }
          expect(await store.headPosition()).toBe(head);
          expect(await store.readStream(stream)).toHaveLength(2);
        }));

      it('answers a stored event re-sent among concurrent new appends as a duplicate, and writes the others', () =>
        withStore(async ({ store }) => {
          const prefix = streamName('resent');
          const [stored] = testEvents(1);
          const first = await store.append(`${prefix}-0`, [stored!]);
          // Sent together, so the re-sent event shares a group commit with new appends.
          const fresh = Array.from({ length: 31 }, (_, i) => store.append(`${prefix}-${i + 1}`, [testEvent()], { expectedRevision: 'no_stream' }));
          const resent = store.append(`${prefix}-0`, [stored!]);
          const more = Array.from({ length: 16 }, (_, i) => store.append(`${prefix}-${i + 32}`, [testEvent()]));
          const again = await resent;
          expect(again.duplicate).toBe(true);
          expect(again.events[0]!.hash).toBe(first.events[0]!.hash);
          const written = await Promise.all([...fresh, ...more]);
          expect(written.every((result) => !result.duplicate)).toBe(true);
          expect(await store.readStream(`${prefix}-0`)).toHaveLength(1);
          for (let i = 1; i <= 47; i++) expect(await store.readStream(`${prefix}-${i}`)).toHaveLength(1);
        }));

      it('refuses an append where only some ids are stored, writing none of it', () =>
        withStore(async ({ store }) => {
          const stream = streamName('partial');
          const [stored] = testEvents(1);
          await store.append(stream, [stored!]);
          await expect(store.append(stream, [stored!, testEvent()])).rejects.toBeInstanceOf(PartialDuplicateError);
          expect(await store.readStream(stream)).toHaveLength(1);
          // A large append (which a store may start writing while it is still being hashed).
          const large = testEvents(1200);
          large[700] = stored!;
          await expect(store.append(stream, large)).rejects.toBeInstanceOf(PartialDuplicateError);
          expect(await store.readStream(stream)).toHaveLength(1);
        }));

      it('refuses malformed events before anything is written', () =>
        withStore(async ({ store }) => {
          const stream = streamName('invalid');
          const head = await store.headPosition();
          await expect(store.append(stream, [testEvent(), { ...testEvent(), id: 'not-a-ulid' }])).rejects.toBeInstanceOf(InvalidAppendError);
          await expect(store.append(stream, [])).rejects.toBeInstanceOf(InvalidAppendError);
          const twice = testEvent();
          await expect(store.append(stream, [twice, twice])).rejects.toBeInstanceOf(InvalidAppendError);
          await expect(store.append('bad stream name!', [testEvent()])).rejects.toBeInstanceOf(InvalidAppendError);
          expect(await store.headPosition()).toBe(head);
        }));
    });

    describe('concurrency', () => {
      it('50 writers racing for one revision: exactly one wins', () =>
        withStore(async ({ store }) => {
          const stream = streamName('race');
          await store.append(stream, [testEvent()], { expectedRevision: 'no_stream' });
          const results = await Promise.allSettled(Array.from({ length: 50 }, () => store.append(stream, [testEvent()], { expectedRevision: 0 })));
          expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
          const failures = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
          expect(failures.every((failure) => failure.reason instanceof WrongExpectedRevisionError)).toBe(true);
          expect(await store.readStream(stream)).toHaveLength(2);
        }));

      it('50 writers on one stream retrying on conflict: every event lands once, revisions without gaps', () =>
        withStore(async ({ store }) => {
          const stream = streamName('writers');
          const written = testEvents(50);
          await Promise.all(
            written.map(async (event) => {
              for (let attempt = 0; attempt < 200; attempt++) {
                const current = await store.readStream(stream);
                const expected = current.length === 0 ? 'no_stream' : current[current.length - 1]!.revision;
                try {
                  await store.append(stream, [event], { expectedRevision: expected });
                  return;
                } catch (error) {
                  if (!(error instanceof WrongExpectedRevisionError)) throw error;
                }
              }
              throw new Error('writer gave up');
            }),
          );
          const read = await store.readStream(stream);
          expect(read.map((event) => event.revision)).toEqual(Array.from({ length: 50 }, (_, i) => i));
          expect(new Set(read.map((event) => event.id))).toEqual(new Set(written.map((event) => event.id)));
          expect((await store.verifyStream(stream)).ok).toBe(true);
        }));
    });

    describe('subscriptions', () => {
      it('catches up, goes live, and resumes after its checkpoint once reopened', () =>
        withStore(async ({ store, reopen }) => {
          const prefix = `sub-${newId()}`;
          const checkpoint = `conformance-${newId()}`;
          const filter = { streamPrefixes: [prefix] };
          const early = testEvents(5);
          await store.append(`${prefix}-1`, early);
          const subscription = store.subscribe({ checkpoint, filter });
          const iterator = subscription[Symbol.asyncIterator]();
          const caughtUp = await take(iterator, 5);
          expect(caughtUp.map((event) => event.id)).toEqual(early.map((event) => event.id));
          const live = testEvents(3);
          await store.append(`${prefix}-2`, live);
          const lived = await take(iterator, 3);
          expect(lived.map((event) => event.id)).toEqual(live.map((event) => event.id));
          await subscription.checkpoint(lived[2]!.position);
          await subscription.close();

          const later = testEvents(2);
          await store.append(`${prefix}-1`, later);
          const reopened = await reopen();
          try {
            expect(await reopened.loadCheckpoint(checkpoint)).toBe(lived[2]!.position);
            const resumed = reopened.subscribe({ checkpoint, filter });
            const resumedEvents = await take(resumed[Symbol.asyncIterator](), 2);
            expect(resumedEvents.map((event) => event.id)).toEqual(later.map((event) => event.id));
            await resumed.close();
          } finally {
            if (reopened !== store) await reopened.close();
          }
        }));

      it('ends quietly when closed while waiting for events', () =>
        withStore(async ({ store }) => {
          const subscription = store.subscribe({ filter: { streamPrefixes: [`quiet-${newId()}`] } });
          const iterator = subscription[Symbol.asyncIterator]();
          const next = iterator.next();
          await new Promise((resolve) => setTimeout(resolve, 50));
          await subscription.close();
          await expect(next).resolves.toMatchObject({ done: true });
        }));
    });

    describe('closing', () => {
      it('closes while a writer keeps appending: pending appends finish, later ones are refused', async () => {
        const fixture = await open();
        const stream = streamName('closing');
        let stop = false;
        let refused: unknown = null;
        let appended = 0;
        const writer = (async () => {
          while (!stop) {
            try {
              await fixture.store.append(stream, [testEvent()]);
              appended++;
            } catch (error) {
              refused = error;
              return;
            }
          }
        })();
        await new Promise((resolve) => setTimeout(resolve, 50));
        const closed = Promise.race([fixture.store.close().then(() => 'closed'), new Promise((resolve) => setTimeout(() => resolve('hung'), 5000))]);
        expect(await closed).toBe('closed');
        stop = true;
        await writer;
        expect(appended).toBeGreaterThan(0);
        expect(refused).toBeInstanceOf(StoreClosedError);
        await fixture.cleanup();
      });
    });

    describe('integrity', () => {
      it('verifies an untouched stream and log', () =>
        withStore(async ({ store }) => {
          const stream = streamName('verify');
          await store.append(stream, testEvents(4));
          await store.append(streamName('verify-other'), testEvents(2));
          expect(await store.verifyStream(stream)).toMatchObject({ ok: true, checked: 4 });
          const all = await store.verifyAll();
          expect(all.ok).toBe(true);
        }));

      it('finds a changed byte in a stored event and names its position', async (context) => {
        const fixture = await open();
        try {
          if (!fixture.tamper) {
            context.skip(`${name} storage cannot be changed from outside the store`);
            return;
          }
          const stream = streamName('tamper');
          const result = await fixture.store.append(stream, testEvents(3, { data: { note: 'original' } }));
          await fixture.store.append(streamName('tamper-after'), testEvents(2));
          expect((await fixture.store.verifyAll()).ok).toBe(true);
          const target = result.events[1]!;
          await fixture.tamper(target.position);
          const all = await fixture.store.verifyAll();
          expect(all).toMatchObject({ ok: false, firstBreak: { position: target.position, stream } });
          const one = await fixture.store.verifyStream(stream);
          expect(one).toMatchObject({ ok: false, firstBreak: { position: target.position } });
        } finally {
          await fixture.cleanup();
        }
      });
    });
  });
}
