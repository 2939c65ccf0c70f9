// The EventStore port: the one interface the deciders, the bus and the audit service use.
// Every adapter (sqlite, postgres, eventstoredb) passes the same conformance suite
// (./testing/conformance.ts), which checks each promise made here.
import type { ChainVerification, NewEvent, RecordedEvent } from '@nrm/contracts';

/** What the writer believes about the stream before appending (EventStoreDB's vocabulary). */
export type ExpectedRevision = number | 'no_stream' | 'stream_exists' | 'any';

export type AppendResult = {
  /** The stream's revision after the append (its last event's revision). */
  nextRevision: number;
  /** The global position of the last event written, or of the stored duplicate. */
  position: number;
  /** The events as recorded (for duplicates: as they were recorded the first time). */
  events: RecordedEvent[];
  /** True when every event id was already stored: nothing was appended. */
  duplicate: boolean;
};

export type EventFilter = {
  /** Only events whose stream starts with one of these prefixes. */
  streamPrefixes?: readonly string[];
  /** Only events of these types. */
  types?: readonly string[];
  /** Only events of these agencies. */
  agencies?: readonly string[];
  /** Only events of these cases. Not indexed in the stores (it would slow every commit): for small logs and tools; read models serve case lookups at scale. */
  caseIds?: readonly string[];
};

export type ReadOptions = {
  /** Events at positions strictly greater than this; omit to start at the beginning. */
  after?: number;
  /** Events at positions up to and including this one. */
  to?: number;
  /** Stop after this many events. */
  limit?: number;
  filter?: EventFilter;
};

export type SubscribeOptions = {
  /** Resume after this position; omit to replay the whole log. Ignored when `checkpoint` has a stored position. */
  after?: number;
  filter?: EventFilter;
  /** Durable checkpoint name: the subscription starts after the stored position, and `Subscription.checkpoint` stores it. */
  checkpoint?: string;
  /** Ends the subscription. */
  signal?: AbortSignal;
  /**
   * Called each time the subscription has read the log up to a head (matching or not), with
   * that position: a filtered consumer is then known to be current up to it.
   */
  onCaughtUp?: (position: number) => void;
};

/** Catch-up then live: an async iterable that first replays the log, then waits for new events. */
export type Subscription = AsyncIterable<RecordedEvent> & {
  /** Durably records that everything up to `position` is handled (needs `checkpoint` in the options). */
  checkpoint(position: number): Promise<void>;
  close(): Promise<void>;
};

export type StoreCapabilities = {
  /** Positions are 0, 1, 2, … with no gap (sqlite, postgres); EventStoreDB positions are log offsets. */
  densePositions: boolean;
};

export interface EventStore {
  readonly name: string;
  readonly capabilities: StoreCapabilities;
  append(stream: string, events: readonly NewEvent[], options?: { expectedRevision?: ExpectedRevision }): Promise<AppendResult>;
  /** The stream's events in revision order; empty when the stream does not exist. */
  readStream(stream: string, options?: { fromRevision?: number; limit?: number }): Promise<RecordedEvent[]>;
  /** The global log in position order, read in pages. */
  readAll(options?: ReadOptions): AsyncIterable<RecordedEvent>;
  /** The highest position recorded, or -1 when the store is empty. */
  headPosition(): Promise<number>;
  subscribe(options?: SubscribeOptions): Subscription;
  loadCheckpoint(name: string): Promise<number | undefined>;
  saveCheckpoint(name: string, position: number): Promise<void>;
  verifyStream(stream: string): Promise<ChainVerification>;
  /** Re-hashes the whole log and checks every link; reports the first break with its position. */
  verifyAll(options?: { onProgress?: (checked: number) => void }): Promise<ChainVerification>;
  close(): Promise<void>;
}
