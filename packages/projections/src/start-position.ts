// Where a projection resumes: after its checkpoint, unless the documents were built by another
// version of it, in which case they are dropped and it starts again from the beginning of the log.
import type { Projection } from './projection.ts';
import type { ProjectionStore } from './projection-store.ts';

export type StartPosition = {
  /** Apply the events after this global position (-1: the whole log). */
  after: number;
  /** The version whose documents were dropped, when that happened. */
  rebuiltFromVersion?: number;
};

export async function startPosition(projections: ProjectionStore, projection: Projection): Promise<StartPosition> {
  const stored = await projections.checkpoint(projection.name);
  if (stored === undefined) return { after: -1 };
  if (stored.version === projection.version) return { after: stored.position };
  await projections.reset(projection.name);
  return { after: -1, rebuiltFromVersion: stored.version };
}
