// What a read model is: a name for its documents, a version, the events it needs, and one
// synchronous apply. Synchronous keeps apply deterministic (the same log gives the same
// documents, live or rebuilt) and lets a whole batch run inside one store transaction.
import type { RecordedEvent } from '@nrm/contracts';
import type { EventFilter } from '@nrm/eventstore';
import { assertProjectionName } from './document-validation.ts';
import { InvalidProjectionRequestError } from './errors.ts';
import type { ProjectionTx } from './projection-store.ts';

export type Projection = {
  /** Names the documents and checkpoint in the ProjectionStore, e.g. 'intake.referral-inbox'. */
  name: string;
  /** Bump it when apply changes meaning: documents built by another version are rebuilt at start. */
  version: number;
  /** The events apply is given; every other event passes the projection by. */
  filter: EventFilter;
  /**
   * Folds one event into the documents. Must act only through `tx` and depend only on the
   * event and what `tx` returns: it may run more than once before a batch commits, and a
   * rebuild runs it again over the whole log. Throwing stops the projection at this event.
   */
  apply(event: RecordedEvent, tx: ProjectionTx): void;
};

export function assertProjectionDefinition(projection: Projection): void {
  assertProjectionName(projection.name);
  if (!Number.isSafeInteger(projection.version) || projection.version < 0) {
    throw new InvalidProjectionRequestError(`projection ${projection.name}: version must be a non-negative integer; got ${projection.version}`);
  }
  if (typeof projection.apply !== 'function') throw new InvalidProjectionRequestError(`projection ${projection.name}: apply must be a function`);
}
