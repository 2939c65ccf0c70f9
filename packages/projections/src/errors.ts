// Typed errors of the projections package, so the HTTP edge maps a bad cursor to a 400 and the
// runtime can tell a projection's own bug (it stops) from a store that is unreachable (it retries).
import type { RecordedEvent } from '@nrm/contracts';

/** A name, key, placement, cursor or limit the store refuses before touching storage. */
export class InvalidProjectionRequestError extends Error {
  override readonly name = 'InvalidProjectionRequestError';
}

export class ProjectionStoreClosedError extends Error {
  override readonly name = 'ProjectionStoreClosedError';
  constructor(store: string) {
    super(`the ${store} projection store is closed`);
  }
}

/** The event a projection could not apply, without its payload (which may hold sealed personal data). */
export type FailedEventRef = Pick<RecordedEvent, 'position' | 'id' | 'type' | 'stream'>;

/** A projection stopped: its apply threw on `event`, or its documents were rebuilt by another version. */
export class ProjectionFailedError extends Error {
  override readonly name = 'ProjectionFailedError';
  readonly projection: string;
  readonly event: FailedEventRef | undefined;

  constructor(projection: string, message: string, options: { event?: FailedEventRef; cause?: unknown } = {}) {
    super(`projection ${projection}: ${message}`, { cause: options.cause });
    this.projection = projection;
    this.event = options.event;
  }
}
