// The EventStoreDB / KurrentDB EventStore (@eventstore/db-client), for national scale. The
// server keeps the log; this adapter adds what the port promises on top: the per-stream hash
// chain (so every append reads the stream's head and writes with that exact revision, retrying
// when the caller allowed any revision), idempotency by event id, and durable checkpoints in
// `nrm-checkpoint-<name>` streams. Positions are the server's log positions: increasing, not dense.
import { EventEmitter } from 'node:events';
import { BACKWARDS, END, EventStoreDBClient, FORWARDS, START, StreamNotFoundError, excludeSystemEvents, jsonEvent } from '@eventstore/db-client';
import type { AllStreamResolvedEvent, ResolvedEvent } from '@eventstore/db-client';
import { ChainVerifier, GENESIS_HASH, hashedForm, sha256Hex } from '@nrm/contracts';
import type { ChainVerification, NewEvent, RecordedEvent } from '@nrm/contracts';
import { checkExpectedRevision } from '../append-plan.ts';
import type { StreamHead } from '../append-plan.ts';
import { catchUpSubscription, wakeOnAppend } from '../catch-up-subscription.ts';
import { PartialDuplicateError, StoreClosedError, WrongExpectedRevisionError } from '../errors.ts';
import { validateAppend } from '../new-event-validation.ts';
import { matchesFilter } from '../event-filter.ts';
import type { AppendResult, EventStore, ExpectedRevision, ReadOptions, SubscribeOptions, Subscription } from '../port.ts';
import { CHECKPOINT_EVENT_TYPE, CHECKPOINT_STREAM_PREFIX, fromEsdbError, isBackboneEvent, positionOf, toEsdbEvent, toEsdbExpectedRevision, toRecordedEvent } from './esdb-mapping.ts';

export type EsdbEventStoreOptions = {
  /** e.g. `esdb://127.0.0.1:2113?tls=false` */
  connectionString: string;
  pageSize?: number;
  /** How far back an append looks for already stored ids (retries re-append a stream's tail). */
  idempotencyWindow?: number;
  pollIntervalMs?: number;
};


async function readStreamSafely(read: () => AsyncIterable<ResolvedEvent>): Promise<ResolvedEvent[]> {
  const events: ResolvedEvent[] = [];
  try {
    for await (const resolved of read()) events.push(resolved);
  } catch (error) {
    if (error instanceof StreamNotFoundError) return [];
    throw error;
  }
  return events;
}

export function createEsdbEventStore(options: EsdbEventStoreOptions): EventStore {
  const client = EventStoreDBClient.connectionString(options.connectionString);
  const pageSize = options.pageSize ?? 1000;
  const idempotencyWindow = options.idempotencyWindow ?? 1000;
  const appended = new EventEmitter();
  appended.setMaxListeners(0);
  const lifetime = new AbortController();
  const writes = new Map<string, Promise<unknown>>();
  let closed = false;
  let accepting = true;
  let live: ReturnType<EventStoreDBClient['subscribeToAll']> | null = null;

  function assertOpen(): void {
    if (closed) throw new StoreClosedError('eventstoredb');
  }

  function listenForAppends(): void {
    if (live || closed) return;
    live = client.subscribeToAll({ fromPosition: END, filter: excludeSystemEvents() });
    live.on('data', (resolved: AllStreamResolvedEvent) => appended.emit('append', positionOf(resolved)));
    live.on('error', () => {
      live = null;
    });
  }

  async function streamTail(stream: string): Promise<ResolvedEvent[]> {
    return readStreamSafely(() => client.readStream(stream, { direction: BACKWARDS, fromRevision: END, maxCount: idempotencyWindow }));
  }

  async function appendOnce(stream: string, events: NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    const tail = await streamTail(stream);
    const known = new Map(tail.map((resolved) => {
      const { event } = toRecordedEvent(resolved);
      return [event.id, event] as const;
    }));
    const stored = events.map((event) => known.get(event.id));
    const storedCount = stored.filter((event) => event !== undefined).length;
    if (storedCount === events.length) {
      const last = stored[stored.length - 1]!;
      return { duplicate: true, events: stored as RecordedEvent[], nextRevision: last.revision, position: last.position };
    }
    if (storedCount > 0) throw new PartialDuplicateError(stream, events.filter((_, index) => stored[index]).map((event) => event.id));

    const newest = tail[0] ? toRecordedEvent(tail[0]).event : undefined;
    let head: StreamHead | undefined = newest ? { revision: newest.revision, hash: newest.hash } : undefined;
    checkExpectedRevision(stream, expected, head);
    const recordedAt = new Date().toISOString();
    const firstRevision = head ? head.revision + 1 : 0;
    const chained = events.map((event) => {
      const hashed = { ...event, stream, revision: head ? head.revision + 1 : 0, recordedAt, prevHash: head ? head.hash : GENESIS_HASH };
      const hash = sha256Hex(hashedForm(hashed));
      head = { revision: hashed.revision, hash };
      return { hashed, hash };
    });
    // Always the exact revision read: the chain was computed against that head.
    const exact: ExpectedRevision = newest ? newest.revision : 'no_stream';
    try {
      await client.appendToStream(stream, chained.map(({ hashed, hash }) => toEsdbEvent(hashed, hash)), { expectedRevision: toEsdbExpectedRevision(exact) });
    } catch (error) {
      throw fromEsdbError(error, stream, exact);
    }
    const written = await readStreamSafely(() => client.readStream(stream, { direction: FORWARDS, fromRevision: BigInt(firstRevision), maxCount: events.length }));
    const recorded = written.map((resolved) => toRecordedEvent(resolved).event);
    const last = recorded[recorded.length - 1]!;
    return { duplicate: false, events: recorded, nextRevision: last.revision, position: last.position };
  }

  async function append(stream: string, events: NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    const exactExpectation = typeof expected === 'number' || expected === 'no_stream';
    for (let attempt = 0; ; attempt++) {
      try {
        return await appendOnce(stream, events, expected);
      } catch (error) {
        // Another writer moved the stream between our read and our write. When the caller
        // allowed any revision, read the new head and chain onto it; otherwise it is their conflict.
        if (!(error instanceof WrongExpectedRevisionError) || exactExpectation || attempt >= 20) throw error;
      }
    }
  }

  async function* readAllGenerator(readOptions: ReadOptions = {}): AsyncGenerator<RecordedEvent> {
    const after = readOptions.after ?? -1;
    let remaining = readOptions.limit ?? Number.POSITIVE_INFINITY;
    const from = after < 0 ? START : { commit: BigInt(after), prepare: BigInt(after) };
    for await (const resolved of client.readAll({ direction: FORWARDS, fromPosition: from })) {
      assertOpen();
      if (!isBackboneEvent(resolved)) continue;
      const position = positionOf(resolved);
      if (position <= after) continue;
      if (readOptions.to !== undefined && position > readOptions.to) return;
      const { event } = toRecordedEvent(resolved);
      if (!matchesFilter(event, readOptions.filter)) continue;
      yield event;
      if (--remaining <= 0) return;
    }
  }

  async function headPosition(): Promise<number> {
    assertOpen();
    for await (const resolved of client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: pageSize })) {
      if (isBackboneEvent(resolved)) return positionOf(resolved);
    }
    return -1;
  }

  async function verify(events: AsyncIterable<ResolvedEvent | AllStreamResolvedEvent>, onProgress?: (checked: number) => void): Promise<ChainVerification> {
    const verifier = new ChainVerifier({ densePositions: false });
    let checked = 0;
    for await (const resolved of events) {
      if (!isBackboneEvent(resolved)) continue;
      const { event, hashedText } = toRecordedEvent(resolved);
      if (!verifier.check({ position: event.position, stream: event.stream, revision: event.revision, hashedText, hash: event.hash })) break;
      if (++checked % 10_000 === 0) onProgress?.(checked);
    }
    onProgress?.(checked);
    return verifier.result();
  }

  const store: EventStore = {
    name: 'eventstoredb',
    capabilities: { densePositions: false },

    async append(stream, events, appendOptions = {}) {
      assertOpen();
      if (!accepting) throw new StoreClosedError('eventstoredb');
      const expected = appendOptions.expectedRevision ?? 'any';
      const valid = validateAppend(stream, events, expected);
      // Appends to one stream from this process run one after another: they would only
      // conflict with each other and be retried.
      const previous = writes.get(stream) ?? Promise.resolve();
      const next = previous.catch(() => undefined).then(() => append(stream, valid, expected));
      writes.set(stream, next);
      try {
        return await next;
      } finally {
        if (writes.get(stream) === next) writes.delete(stream);
      }
    },

    async readStream(stream, readOptions = {}) {
      assertOpen();
      const resolved = await readStreamSafely(() =>
        client.readStream(stream, { direction: FORWARDS, fromRevision: BigInt(readOptions.fromRevision ?? 0), ...(readOptions.limit === undefined ? {} : { maxCount: readOptions.limit }) }),
      );
      return resolved.map((event) => toRecordedEvent(event).event);
    },

    readAll: (readOptions) => readAllGenerator(readOptions),

    headPosition,

    subscribe(subscribeOptions: SubscribeOptions = {}): Subscription {
      listenForAppends();
      return catchUpSubscription(
        {
          readAll: (readOptions) => readAllGenerator(readOptions),
          lifetime: lifetime.signal,
          headPosition,
          loadCheckpoint: (name) => store.loadCheckpoint(name),
          saveCheckpoint: (name, position) => store.saveCheckpoint(name, position),
          waitForAppend: wakeOnAppend(appended, () => options.pollIntervalMs ?? 1000),
        },
        subscribeOptions,
      );
    },

    async loadCheckpoint(name) {
      assertOpen();
      const [last] = await readStreamSafely(() => client.readStream(`${CHECKPOINT_STREAM_PREFIX}${name}`, { direction: BACKWARDS, fromRevision: END, maxCount: 1 }));
      const data = last?.event?.data as { position?: number } | undefined;
      return data?.position;
    },

    async saveCheckpoint(name, position) {
      assertOpen();
      await client.appendToStream(`${CHECKPOINT_STREAM_PREFIX}${name}`, jsonEvent({ type: CHECKPOINT_EVENT_TYPE, data: { position } }));
    },

    async verifyStream(stream) {
      assertOpen();
      return verify((async function* () {
        yield* await readStreamSafely(() => client.readStream(stream, { direction: FORWARDS, fromRevision: START }));
      })());
    },

    async verifyAll(verifyOptions = {}) {
      assertOpen();
      return verify(client.readAll({ direction: FORWARDS, fromPosition: START }), verifyOptions.onProgress);
    },

    async close() {
      if (closed || !accepting) return;
      // Refuse new appends first, so a busy writer cannot keep the drain from ever finishing.
      accepting = false;
      await Promise.allSettled([...writes.values()]);
      closed = true;
      lifetime.abort();
      await live?.unsubscribe().catch(() => undefined);
      await client.dispose();
    },
  };
  return store;
}
