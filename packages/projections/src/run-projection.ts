// The live projection runtime: subscribes to the global log after the projection's checkpoint
// (catch-up, then live), applies events in batches, one transaction per batch with the
// checkpoint, until its signal aborts. It never throws into the process: a store that fails is
// reported and retried with backoff; an apply that throws is reported and stops the projection
// there (status 'failed'), since skipping the event would silently leave the documents wrong.
import type { RecordedEvent } from '@nrm/contracts';
import { StoreClosedError, batchesOf } from '@nrm/eventstore';
import type { EventStore } from '@nrm/eventstore';
import { AppliedPosition } from './applied-position.ts';
import { applyBatch, applyFailure } from './apply-batch.ts';
import type { BatchOutcome } from './apply-batch.ts';
import { InvalidProjectionRequestError, ProjectionFailedError, ProjectionStoreClosedError } from './errors.ts';
import type { FailedEventRef } from './errors.ts';
import { assertBatchSize } from './event-batches.ts';
import { assertProjectionDefinition } from './projection.ts';
import type { Projection } from './projection.ts';
import type { ProjectionStore } from './projection-store.ts';
import { startPosition } from './start-position.ts';

export type ProjectionErrorContext = {
  projection: string;
  /** True when the projection stopped because of it; false when the runtime retries. */
  fatal: boolean;
  event?: FailedEventRef;
};

export type RunProjectionOptions = {
  store: EventStore;
  projections: ProjectionStore;
  projection: Projection;
  /** Stops the runtime; the batch in hand is committed first. */
  signal: AbortSignal;
  /** Most events per transaction (default 500). */
  batchSize?: number;
  /** Where failures go (default: console.error). */
  onError?: (error: unknown, context: ProjectionErrorContext) => void;
  /** First wait before retrying after a store failure (default 500 ms); doubles up to maxRetryDelayMs (default 30 s). */
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
};

export type ProjectionState = 'starting' | 'running' | 'failed' | 'stopped';

export type ProjectionStatus = {
  projection: string;
  version: number;
  state: ProjectionState;
  /** The global position of the last event applied (its checkpoint); -1 before the first. */
  position: number;
  /** Set when the documents of this version were dropped at start and rebuilt. */
  rebuiltFromVersion?: number;
  /** Why the projection stopped, when state is 'failed'. */
  failure?: ProjectionFailedError;
};

export type ProjectionHandle = {
  readonly name: string;
  readonly status: ProjectionStatus;
  /**
   * Resolves true once every event of this projection up to `position` is applied (at once when
   * none of the events up to there concern it), false after `timeoutMs` or when the projection
   * has stopped: an HTTP handler waits for the event it just appended, then reads.
   */
  waitForPosition(position: number, timeoutMs: number): Promise<boolean>;
  /** Settles once the runtime ended (stopped or failed) with its final status; never rejects. */
  readonly done: Promise<ProjectionStatus>;
};

export function runProjection(options: RunProjectionOptions): ProjectionHandle {
  const { store, projections, projection, signal } = options;
  const batchSize = assertBatchSize(options.batchSize ?? 500);
  assertProjectionDefinition(projection);
  const firstRetryDelay = options.retryDelayMs ?? 500;
  const maxRetryDelay = options.maxRetryDelayMs ?? 30_000;
  const onError = options.onError ?? ((error, context) => console.error(`[projection ${context.projection}]`, error));
  const applied = new AppliedPosition();
  let retryDelay = firstRetryDelay;
  let status: ProjectionStatus = { projection: projection.name, version: projection.version, state: 'starting', position: -1 };

  function report(error: unknown, context: Omit<ProjectionErrorContext, 'projection'>): void {
    try {
      onError(error, { projection: projection.name, ...context });
    } catch {
      // A failing logger must not take the runtime (or the process) down with it.
    }
  }

  function update(change: Partial<ProjectionStatus>): void {
    status = { ...status, ...change };
    if (change.position !== undefined) applied.moveTo(change.position);
    if (status.state === 'failed' || status.state === 'stopped') applied.end();
  }

  function fail(failure: ProjectionFailedError): void {
    update({ state: 'failed', failure });
    report(failure, { fatal: true, event: failure.event });
  }

  /** Runs one subscription; returns 'restart' when the stored checkpoint moved under it. */
  async function follow(lifetime: AbortController): Promise<'ended' | 'restart'> {
    const start = await startPosition(projections, projection);
    let after = start.after;
    update({ state: 'running', position: after, ...(start.rebuiltFromVersion === undefined ? {} : { rebuiltFromVersion: start.rebuiltFromVersion }) });
    const subscription = store.subscribe({ after, filter: projection.filter, signal: lifetime.signal });
    for await (const batch of batchesOf(subscription, batchSize)) {
      let outcome: BatchOutcome;
      try {
        outcome = await applyBatch(projections, projection, batch, after);
      } catch (error) {
        // Leaving the loop closes the subscription, which would otherwise wait out its poll first.
        lifetime.abort();
        throw error;
      }
      if (outcome.kind === 'applied') {
        after = outcome.position;
        retryDelay = firstRetryDelay;
        update({ position: after });
        continue;
      }
      // Stop the subscription before leaving the loop, so it does not wait for the next append.
      lifetime.abort();
      if (outcome.kind === 'failed') {
        update({ position: outcome.position });
        fail(applyFailure(projection.name, outcome.event, outcome.error));
        return 'ended';
      }
      if (outcome.stored !== undefined && outcome.stored.version !== projection.version) {
        fail(new ProjectionFailedError(projection.name, `its documents were rebuilt by version ${outcome.stored.version}; this runtime has version ${projection.version}`));
        return 'ended';
      }
      report(new Error(`checkpoint moved from ${after} to ${outcome.stored?.position ?? 'none'} (a rebuild or a second runtime); resuming from it`), { fatal: false });
      return 'restart';
    }
    return 'ended';
  }

  async function run(): Promise<void> {
    while (!signal.aborted) {
      const lifetime = new AbortController();
      const abort = () => lifetime.abort();
      signal.addEventListener('abort', abort, { once: true });
      try {
        if ((await follow(lifetime)) === 'ended') break;
      } catch (error) {
        lifetime.abort();
        // A closed store is a shutdown, not a failure worth retrying.
        if (error instanceof StoreClosedError || error instanceof ProjectionStoreClosedError) break;
        report(error, { fatal: false });
        await sleep(retryDelay, signal);
        retryDelay = Math.min(retryDelay * 2, maxRetryDelay);
      } finally {
        signal.removeEventListener('abort', abort);
      }
    }
    if (status.state !== 'failed') update({ state: 'stopped' });
  }

  const done = run().then(
    () => status,
    (error: unknown) => {
      // Not reached by design; if it is, the failure is reported rather than left unhandled.
      fail(new ProjectionFailedError(projection.name, 'the runtime failed unexpectedly', { cause: error }));
      return status;
    },
  );

  return {
    name: projection.name,
    get status() {
      return status;
    },
    done,
    async waitForPosition(position: number, timeoutMs: number): Promise<boolean> {
      if (!Number.isSafeInteger(position)) throw new InvalidProjectionRequestError(`position must be an integer; got ${position}`);
      if (!(timeoutMs >= 0) || !Number.isFinite(timeoutMs)) throw new InvalidProjectionRequestError(`timeoutMs must be a finite number of at least 0; got ${timeoutMs}`);
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        if (applied.value >= position) return true;
        if (applied.hasEnded) return false;
        // The head is read first: every event up to it is committed, so the read below misses none.
        const head = await store.headPosition();
        // Events the filter leaves out never move the checkpoint: wait only for the next one
        // this projection does apply, and none at all when there is none up to `position`.
        const next = await firstEventAfter(store, projection, applied.value, Math.min(position, head));
        if (next !== undefined) {
          if (!(await applied.waitFor(next.position, deadline - Date.now()))) return false;
        } else if (head >= position) {
          return true;
        } else {
          // Not appended yet: look again shortly, or when the projection moves.
          const remaining = deadline - Date.now();
          if (remaining <= 0) return false;
          await applied.waitFor(position, Math.min(remaining, 100));
        }
      }
    },
  };
}

async function firstEventAfter(store: EventStore, projection: Projection, after: number, to: number): Promise<RecordedEvent | undefined> {
  for await (const event of store.readAll({ after, to, limit: 1, filter: projection.filter })) return event;
  return undefined;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
