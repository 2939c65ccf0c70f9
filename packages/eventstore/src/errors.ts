// Typed errors of the EventStore port. Adapters map their drivers' errors into these in one
// place each, so callers (the decider runtime, the HTTP edge) handle one vocabulary.

export class WrongExpectedRevisionError extends Error {
  override readonly name = 'WrongExpectedRevisionError';
  readonly stream: string;
  readonly expected: string;
  /** The stream's actual revision, or 'no_stream'. */
  readonly actual: number | 'no_stream';

  constructor(stream: string, expected: number | string, actual: number | 'no_stream') {
    super(`stream ${stream}: expected revision ${expected}, actual ${actual}`);
    this.stream = stream;
    this.expected = String(expected);
    this.actual = actual;
  }
}

/** Some but not all of the event ids of an append are already stored: the append is refused whole. */
export class PartialDuplicateError extends Error {
  override readonly name = 'PartialDuplicateError';
  readonly duplicateIds: string[];

  constructor(stream: string, duplicateIds: string[]) {
    super(`stream ${stream}: event ids already stored: ${duplicateIds.join(', ')}`);
    this.duplicateIds = duplicateIds;
  }
}

export class InvalidAppendError extends Error {
  override readonly name = 'InvalidAppendError';
}

export class StoreClosedError extends Error {
  override readonly name = 'StoreClosedError';
  constructor(store: string) {
    super(`the ${store} event store is closed`);
  }
}
