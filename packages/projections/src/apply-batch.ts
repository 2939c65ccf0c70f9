// Applies a batch of events in one transaction together with the checkpoint, so the documents
// and "applied up to here" can never disagree. Two things stop a batch short of committing:
// - apply throws: the batch is rolled back, then the events before the failing one are
//   committed on their own, so the checkpoint ends exactly before the event that failed;
// - the stored checkpoint is not where this writer left it (a rebuild, or a second runtime of
//   the same projection): nothing is written, and the caller resumes from the stored one.
import type { RecordedEvent } from '@nrm/contracts';
import { ProjectionFailedError } from './errors.ts';
import type { Projection } from './projection.ts';
import type { ProjectionCheckpoint, ProjectionStore, ProjectionTx } from './projection-store.ts';

export type BatchOutcome =
  | { kind: 'applied'; position: number }
  | { kind: 'failed'; position: number; event: RecordedEvent; error: unknown }
  | { kind: 'moved'; stored: ProjectionCheckpoint | undefined };

class ApplyThrew extends Error {
  readonly index: number;
  readonly thrown: unknown;
  constructor(index: number, thrown: unknown) {
    super(`apply threw on event ${index} of the batch`);
    this.index = index;
    this.thrown = thrown;
  }
}

class CheckpointMoved extends Error {
  readonly stored: ProjectionCheckpoint | undefined;
  constructor(stored: ProjectionCheckpoint | undefined) {
    super('the stored checkpoint moved');
    this.stored = stored;
  }
}

/** `after` is the checkpoint this writer last committed (-1: none); `events` is not empty. */
export async function applyBatch(projections: ProjectionStore, projection: Projection, events: readonly RecordedEvent[], after: number): Promise<BatchOutcome> {
  const last = events[events.length - 1]!.position;
  try {
    await projections.transaction(projection.name, (tx) => {
      const stored = tx.checkpoint();
      if ((stored?.position ?? -1) !== after || (stored !== undefined && stored.version !== projection.version)) throw new CheckpointMoved(stored);
      // apply gets the documents only: the checkpoint is the runtime's to set.
      const documents: ProjectionTx = {
        get: (key) => tx.get(key),
        put: (key, doc, placement) => tx.put(key, doc, placement),
        delete: (key) => tx.delete(key),
      };
      for (let index = 0; index < events.length; index++) {
        try {
          projection.apply(events[index]!, documents);
        } catch (error) {
          throw new ApplyThrew(index, error);
        }
      }
      tx.setCheckpoint({ position: last, version: projection.version });
    });
    return { kind: 'applied', position: last };
  } catch (error) {
    if (error instanceof CheckpointMoved) return { kind: 'moved', stored: error.stored };
    if (!(error instanceof ApplyThrew)) throw error;
    const failing = events[error.index]!;
    if (error.index === 0) return { kind: 'failed', position: after, event: failing, error: error.thrown };
    const before = await applyBatch(projections, projection, events.slice(0, error.index), after);
    return before.kind === 'applied' ? { kind: 'failed', position: before.position, event: failing, error: error.thrown } : before;
  }
}

/** The error a failed outcome is reported as: the event named, its payload left out. */
export function applyFailure(projection: string, event: RecordedEvent, error: unknown): ProjectionFailedError {
  const reason = error instanceof Error ? error.message : String(error);
  return new ProjectionFailedError(projection, `apply threw on event ${event.position} (${event.type} in ${event.stream}): ${reason}`, {
    event: { position: event.position, id: event.id, type: event.type, stream: event.stream },
    cause: error,
  });
}
