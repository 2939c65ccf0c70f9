// The decider runtime against the real embedded store: happy path, refusals that append
// nothing, concurrent writers reconciled by retry, and a stale If-Match that is never retried.
import { newId } from '@nrm/contracts';
import { createSqliteEventStore, WrongExpectedRevisionError } from '@nrm/eventstore';
import type { EventStore } from '@nrm/eventstore';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { handleCommand } from './command-handler.ts';
import type { CommandMetadata } from './decider.ts';
import { ConcurrencyError, DomainRuleError, IllegalStateError } from './errors.ts';
import { InvalidDecidedEventError } from './event-envelope.ts';
import { tallyDecider, tallyRegistry } from './testing/tally-decider.ts';
import type { TallyCommand } from './testing/tally-decider.ts';

const STREAM = 'intake-tally-1';
const CASE_ID = newId();

function metadata(overrides: Partial<CommandMetadata> = {}): CommandMetadata {
  return {
    commandId: newId(),
    now: '2025-09-01T08:00:00.000Z',
    actor: 'officer-17',
    agency: 'intake',
    caseId: CASE_ID,
    causationId: null,
    traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    ...overrides,
  };
}

const open = (limit: number, meta = metadata()): TallyCommand => ({ type: 'OpenTally', data: { limit }, metadata: meta });
const add = (amount: number, meta = metadata()): TallyCommand => ({ type: 'AddToTally', data: { amount }, metadata: meta });

/**
 * Delegates to the real store, counting reads and conflicts, and holds the first `readers`
 * readers until all of them have read: concurrent commands then certainly decide on the same revision.
 */
function instrumented(store: EventStore, readers = 0): EventStore & { reads: number; conflicts: number } {
  let arrived = 0;
  let release: () => void = () => {};
  const barrier = new Promise<void>((resolve) => (release = resolve));
  const wrapped = Object.create(store) as EventStore & { reads: number; conflicts: number };
  wrapped.reads = 0;
  wrapped.conflicts = 0;
  wrapped.readStream = async (stream, options) => {
    const events = await store.readStream(stream, options);
    wrapped.reads++;
    if (arrived < readers) {
      arrived++;
      if (arrived === readers) release();
      await barrier;
    }
    return events;
  };
  wrapped.append = async (stream, events, options) => {
    try {
      return await store.append(stream, events, options);
    } catch (error) {
      if (error instanceof WrongExpectedRevisionError) wrapped.conflicts++;
      throw error;
    }
  };
  return wrapped;
}

describe('handleCommand', () => {
  let store: EventStore;

  beforeEach(() => {
    store = createSqliteEventStore({ path: ':memory:' });
  });
  afterEach(async () => {
    await store.close();
  });

  it('folds the stream, decides and appends events enveloped from the command metadata', async () => {
    await handleCommand({ store, stream: STREAM, decider: tallyDecider, command: open(10) });
    const meta = metadata({ causationId: newId() });
    const result = await handleCommand({ store, stream: STREAM, decider: tallyDecider, command: add(4, meta), registry: tallyRegistry });

    expect(result.nextRevision).toBe(1);
    expect(result.state).toEqual({ status: 'Open', limit: 10, total: 4 });
    expect(result.duplicate).toBe(false);
    const stored = await store.readStream(STREAM);
    expect(stored.map((event) => event.type)).toEqual(['intake.TallyOpened', 'intake.TallyAdded']);
    expect(stored[1]).toMatchObject({
      schemaVersion: 2,
      occurredAt: meta.now,
      actor: 'officer-17',
      agency: 'intake',
      caseId: CASE_ID,
      causationId: meta.causationId,
      traceparent: meta.traceparent,
      data: { amount: 4 },
      revision: 1,
    });
    expect(result.events.map((event) => event.id)).toEqual([stored[1]!.id]);
  });

  it('appends nothing when the decider refuses, and names the rule', async () => {
    await expect(handleCommand({ store, stream: STREAM, decider: tallyDecider, command: add(1) })).rejects.toMatchObject({
      constructor: IllegalStateError,
      rule: 'tally-not-open',
      status: 409,
    });
    expect(await store.headPosition()).toBe(-1);

    await handleCommand({ store, stream: STREAM, decider: tallyDecider, command: open(3) });
    const refusal = handleCommand({ store, stream: STREAM, decider: tallyDecider, command: add(4) });
    await expect(refusal).rejects.toBeInstanceOf(DomainRuleError);
    await expect(refusal).rejects.toMatchObject({ rule: 'tally-limit-exceeded', status: 422 });
    expect(await store.readStream(STREAM)).toHaveLength(1);
  });

  it('returns without appending when the decision is to do nothing', async () => {
    const result = await handleCommand({ store, stream: STREAM, decider: tallyDecider, command: { type: 'CloseTally', data: {}, metadata: metadata() } });
    expect(result).toMatchObject({ events: [], decided: [], nextRevision: 'no_stream', state: { status: 'Empty' } });
    expect(await store.headPosition()).toBe(-1);
  });

  it('lets concurrent commands on one stream both succeed by retrying the loser', async () => {
    await handleCommand({ store, stream: STREAM, decider: tallyDecider, command: open(10) });
    const racing = instrumented(store, 2);

    const [first, second] = await Promise.all([
      handleCommand({ store: racing, stream: STREAM, decider: tallyDecider, command: add(2) }),
      handleCommand({ store: racing, stream: STREAM, decider: tallyDecider, command: add(3) }),
    ]);

    expect(racing.conflicts).toBe(1);
    expect(racing.reads).toBe(3);
    expect([first.nextRevision, second.nextRevision].sort()).toEqual([1, 2]);
    const stored = await store.readStream(STREAM);
    expect(stored.map((event) => event.data)).toEqual(expect.arrayContaining([{ amount: 2 }, { amount: 3 }]));
    expect(stored).toHaveLength(3);
  });

  it('re-decides on the fresh state after a conflict, so a rule still holds', async () => {
    await handleCommand({ store, stream: STREAM, decider: tallyDecider, command: open(4) });
    const racing = instrumented(store, 2);

    const outcomes = await Promise.allSettled([
      handleCommand({ store: racing, stream: STREAM, decider: tallyDecider, command: add(3) }),
      handleCommand({ store: racing, stream: STREAM, decider: tallyDecider, command: add(3) }),
    ]);

    expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(['fulfilled', 'rejected']);
    const rejected = outcomes.find((outcome) => outcome.status === 'rejected');
    expect(rejected?.reason).toMatchObject({ rule: 'tally-limit-exceeded' });
    expect(await store.readStream(STREAM)).toHaveLength(2);
  });

  it('gives up with a 409 ConcurrencyError once the retries are spent', async () => {
    await handleCommand({ store, stream: STREAM, decider: tallyDecider, command: open(10) });
    const racing = instrumented(store, 2);

    const outcomes = await Promise.allSettled([
      handleCommand({ store: racing, stream: STREAM, decider: tallyDecider, command: add(2), maxRetries: 0 }),
      handleCommand({ store: racing, stream: STREAM, decider: tallyDecider, command: add(3), maxRetries: 0 }),
    ]);

    const rejected = outcomes.filter((outcome) => outcome.status === 'rejected');
    expect(rejected).toHaveLength(1);
    expect(rejected[0]!.reason).toBeInstanceOf(ConcurrencyError);
    expect(rejected[0]!.reason).toMatchObject({ status: 409, slug: 'concurrency-conflict' });
    expect(await store.readStream(STREAM)).toHaveLength(2);
  });

  it('answers a stale If-Match revision with a 412 and does not retry', async () => {
    await handleCommand({ store, stream: STREAM, decider: tallyDecider, command: open(10) });
    await handleCommand({ store, stream: STREAM, decider: tallyDecider, command: add(1) });
    const counting = instrumented(store);

    const stale = handleCommand({ store: counting, stream: STREAM, decider: tallyDecider, command: add(2), expectedRevision: 0 });

    await expect(stale).rejects.toMatchObject({ constructor: ConcurrencyError, status: 412, slug: 'stale-revision', expected: '0', actual: '1' });
    expect(counting.reads).toBe(1);
    expect(await store.readStream(STREAM)).toHaveLength(2);
  });

  it('answers 412 without retrying when another writer slips in between the read and the append', async () => {
    await handleCommand({ store, stream: STREAM, decider: tallyDecider, command: open(10) });
    const racing = instrumented(store, 2);

    const outcomes = await Promise.allSettled([
      handleCommand({ store: racing, stream: STREAM, decider: tallyDecider, command: add(2), expectedRevision: 0 }),
      handleCommand({ store: racing, stream: STREAM, decider: tallyDecider, command: add(3), expectedRevision: 0 }),
    ]);

    const rejected = outcomes.filter((outcome) => outcome.status === 'rejected');
    expect(rejected).toHaveLength(1);
    expect(rejected[0]!.reason).toMatchObject({ constructor: ConcurrencyError, status: 412 });
    expect(racing.reads).toBe(2);
    expect(await store.readStream(STREAM)).toHaveLength(2);
  });

  it('appends a stream-creating command with no_stream and accepts a matching If-Match', async () => {
    const created = await handleCommand({ store, stream: STREAM, decider: tallyDecider, command: open(10), expectedRevision: 'no_stream' });
    expect(created.nextRevision).toBe(0);
    const added = await handleCommand({ store, stream: STREAM, decider: tallyDecider, command: add(1), expectedRevision: 0 });
    expect(added.nextRevision).toBe(1);
  });

  it('upcasts old event versions before folding', async () => {
    await handleCommand({ store, stream: STREAM, decider: tallyDecider, command: open(3) });
    const storedV1 = { id: newId(), type: 'intake.TallyAdded', schemaVersion: 1, occurredAt: '2025-08-01T00:00:00.000Z', agency: 'intake', actor: 'officer-17', caseId: CASE_ID, causationId: null, traceparent: null, data: { count: 2 } } as const;
    await store.append(STREAM, [storedV1], { expectedRevision: 0 });

    // Only the upcast amount (2) makes 2 more exceed the limit of 3.
    await expect(handleCommand({ store, stream: STREAM, decider: tallyDecider, command: add(2), registry: tallyRegistry })).rejects.toMatchObject({ rule: 'tally-limit-exceeded' });
    const result = await handleCommand({ store, stream: STREAM, decider: tallyDecider, command: add(1), registry: tallyRegistry });
    expect(result.state).toMatchObject({ total: 3 });
  });

  it('refuses to append an event the registry does not accept', async () => {
    await expect(handleCommand({ store, stream: STREAM, decider: tallyDecider, command: open(0), registry: tallyRegistry })).rejects.toBeInstanceOf(InvalidDecidedEventError);
    expect(await store.headPosition()).toBe(-1);
  });

  it('appends nothing twice when the same command is handled again', async () => {
    await handleCommand({ store, stream: STREAM, decider: tallyDecider, command: open(10) });
    const command = add(2);
    const first = await handleCommand({ store, stream: STREAM, decider: tallyDecider, command });
    // A redelivered command reads the state after its own first effect, decides the same
    // event again, and proposes the same id: the store recognises it.
    const again = await handleCommand({ store, stream: STREAM, decider: tallyDecider, command });
    expect(again.duplicate).toBe(true);
    expect(again.events.map((event) => event.id)).toEqual(first.events.map((event) => event.id));
    expect(await store.readStream(STREAM)).toHaveLength(2);
  });

  describe('a command that opens its stream (pinned no_stream)', () => {
    it('is decided on the initial state without reading the stream', async () => {
      const counting = instrumented(store);
      const created = await handleCommand({ store: counting, stream: STREAM, decider: tallyDecider, command: open(10), expectedRevision: 'no_stream' });
      expect(counting.reads).toBe(0);
      expect(created).toMatchObject({ nextRevision: 0, duplicate: false, state: { limit: 10, total: 0 } });
      expect(await store.readStream(STREAM)).toHaveLength(1);
    });

    it('replayed, is answered from the log with what it wrote the first time', async () => {
      const command = open(10);
      const first = await handleCommand({ store, stream: STREAM, decider: tallyDecider, command, expectedRevision: 'no_stream', replayable: true });
      await handleCommand({ store, stream: STREAM, decider: tallyDecider, command: add(1) });
      const counting = instrumented(store);
      const again = await handleCommand({ store: counting, stream: STREAM, decider: tallyDecider, command, expectedRevision: 'no_stream', replayable: true });
      expect(again).toMatchObject({ duplicate: true, nextRevision: 1 });
      expect(again.events.map((event) => event.id)).toEqual(first.events.map((event) => event.id));
      expect(counting.reads).toBe(1);
      expect(await store.readStream(STREAM)).toHaveLength(2);
    });

    it('on a stream another command opened, is a 412 and appends nothing', async () => {
      await handleCommand({ store, stream: STREAM, decider: tallyDecider, command: open(10) });
      await expect(handleCommand({ store, stream: STREAM, decider: tallyDecider, command: open(5), expectedRevision: 'no_stream' })).rejects.toMatchObject({ constructor: ConcurrencyError, status: 412, actual: '0' });
      expect(await store.readStream(STREAM)).toHaveLength(1);
    });

    it('refused on the initial state, names the rule and appends nothing', async () => {
      await expect(handleCommand({ store, stream: STREAM, decider: tallyDecider, command: add(1), expectedRevision: 'no_stream' })).rejects.toBeInstanceOf(IllegalStateError);
      expect(await store.headPosition()).toBe(-1);
    });
  });
});
