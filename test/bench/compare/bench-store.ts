// What a store must offer to run the shared workloads, so NRM Backbone and its peers (Emmett's
// SQLite and PostgreSQL stores) are measured by the very same code on the same machine in the same
// run. Stream versions are counted the same way for all: `expected` is how many events the writer
// believes the stream holds (0: the stream does not exist yet), or 'any' for no check; each
// adapter translates it into its own store's vocabulary.

/** One event as the workloads write it: an id, a type and a referral-sized payload. */
export type BenchEvent = { id: string; type: string; data: Record<string, unknown> };

export type BenchStore = {
  /** `nrm`, `emmett`: who made the store. */
  readonly subject: string;
  readonly engine: 'sqlite' | 'postgresql';
  /** Appends the events in one transaction; 'conflict' when the stream did not hold `expected` events. */
  append(stream: string, events: readonly BenchEvent[], expected: number | 'any'): Promise<'ok' | 'conflict'>;
  /** Reads the stream from its start; answers how many events it holds. */
  readStream(stream: string): Promise<number>;
  /** Reads every event of the store in order, as a catch-up subscriber would; answers how many. */
  readAll(): Promise<number>;
  close(): Promise<void>;
};

/** Opens a fresh, empty store for one workload run (so runs do not inherit each other's data). */
export type BenchStoreFactory = {
  readonly subject: string;
  readonly engine: 'sqlite' | 'postgresql';
  /** Peer and version as installed, e.g. `@event-driven-io/emmett-sqlite 0.38.5`. */
  readonly version: string;
  open(): Promise<BenchStore>;
};
