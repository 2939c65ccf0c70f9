// Bounded runs of a projection, for tests and `nrm rebuild`: catchUp applies everything up to
// the store's head as it was when called and returns; rebuildProjection drops the documents and
// does the same from the beginning of the log. Both go through the same batch transactions as
// the live runtime, so a rebuilt read model is the live one, document for document.
import { batchesOf } from '@nrm/eventstore';
import type { EventStore } from '@nrm/eventstore';
import { applyBatch, applyFailure } from './apply-batch.ts';
import { ProjectionFailedError } from './errors.ts';
import { assertBatchSize } from './event-batches.ts';
import { assertProjectionDefinition } from './projection.ts';
import type { Projection } from './projection.ts';
import type { ProjectionStore } from './projection-store.ts';
import { startPosition } from './start-position.ts';

export type CatchUpOptions = {
  store: EventStore;
  projections: ProjectionStore;
  projection: Projection;
  /** Most events per transaction (default 500). */
  batchSize?: number;
};

export type CatchUpResult = {
  /** Events applied by this call. */
  events: number;
  /** The checkpoint afterwards: the last event applied, -1 when none ever was. */
  position: number;
  /** Set when documents of another version were dropped first. */
  rebuiltFromVersion?: number;
};

/** Rejects with ProjectionFailedError when apply throws; the events before the failing one stay applied. */
export async function catchUp(options: CatchUpOptions): Promise<CatchUpResult> {
  const { store, projections, projection } = options;
  assertProjectionDefinition(projection);
  const batchSize = assertBatchSize(options.batchSize ?? 500);
  const head = await store.headPosition();
  const start = await startPosition(projections, projection);
  const result: CatchUpResult = { events: 0, position: start.after, ...(start.rebuiltFromVersion === undefined ? {} : { rebuiltFromVersion: start.rebuiltFromVersion }) };
  let resumeFrom: number | undefined = start.after;
  while (resumeFrom !== undefined) {
    let after: number = resumeFrom;
    resumeFrom = undefined;
    for await (const batch of batchesOf(store.readAll({ after, to: head, filter: projection.filter }), batchSize)) {
      const outcome = await applyBatch(projections, projection, batch, after);
      if (outcome.kind === 'applied') {
        result.events += batch.length;
        after = result.position = outcome.position;
        continue;
      }
      if (outcome.kind === 'failed') throw applyFailure(projection.name, outcome.event, outcome.error);
      if (outcome.stored !== undefined && outcome.stored.version !== projection.version) {
        throw new ProjectionFailedError(projection.name, `its documents were rebuilt by version ${outcome.stored.version} meanwhile; this is version ${projection.version}`);
      }
      // Someone else (a live runtime) applied events meanwhile: go on from where they got to.
      resumeFrom = result.position = outcome.stored?.position ?? -1;
      break;
    }
  }
  return result;
}

export type RebuildResult = { events: number; ms: number };

/** Drops the projection's documents and checkpoint, then applies the whole log up to its head. */
export async function rebuildProjection(options: CatchUpOptions): Promise<RebuildResult> {
  assertProjectionDefinition(options.projection);
  const started = performance.now();
  await options.projections.reset(options.projection.name);
  const { events } = await catchUp(options);
  return { events, ms: Math.round(performance.now() - started) };
}
