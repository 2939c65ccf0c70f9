// The ProjectionStore port: where read models keep their documents. Every adapter (sqlite,
// postgres) passes one conformance suite (./testing/projection-store-conformance.ts).
//
// Documents are grouped by projection name and, inside it, by partition (an agency's inbox);
// a partition is listed in sortKey order with keyset cursors, optionally narrowed to one tag
// (a status). A projection's checkpoint is written in the same transaction as its documents,
// so a crash can neither apply an event twice nor lose one.
import type { JsonValue } from '@nrm/contracts';

export type DocumentPlacement = {
  /** The group a list or count reads, e.g. the agency whose inbox this is. */
  partition: string;
  /** Lists are ordered by sortKey, then key (code-point order in every adapter). */
  sortKey: string;
  /** Labels a list or count can filter on, e.g. a referral's deadline status. */
  tags?: readonly string[];
};

export type ProjectionDocument = {
  key: string;
  partition: string;
  sortKey: string;
  /** Distinct, in code-point order. */
  tags: string[];
  doc: JsonValue;
};

export type ProjectionCheckpoint = {
  /** The global position of the last event applied. */
  position: number;
  /** The projection's version that built the documents: a different version rebuilds them. */
  version: number;
};

/** The documents of one projection as the current transaction has left them: what `apply` sees. */
export interface ProjectionTx {
  /** A fresh copy each call: changing it changes nothing until it is put back. */
  get(key: string): ProjectionDocument | undefined;
  put(key: string, doc: JsonValue, placement: DocumentPlacement): void;
  delete(key: string): void;
}

export interface ProjectionUnitOfWork extends ProjectionTx {
  /** The stored checkpoint when the transaction began, or as set earlier in it. */
  checkpoint(): ProjectionCheckpoint | undefined;
  setCheckpoint(checkpoint: ProjectionCheckpoint): void;
}

export type ListOptions = {
  partition: string;
  tag?: string;
  /** A `nextCursor` from the previous page of the same list. */
  after?: string;
  /** 1 to 500. */
  limit: number;
  order?: 'asc' | 'desc';
};

export type ListPage = {
  items: ProjectionDocument[];
  /** Null on the last page. Opaque; stable under concurrent inserts (keyset, not offset). */
  nextCursor: string | null;
};

export type CountOptions = { partition: string; tag?: string };

export interface ProjectionStore {
  readonly name: string;
  /**
   * Runs `work` as one all-or-nothing transaction on `projection`'s documents and checkpoint.
   * `work` must be synchronous (a returned promise is refused and rolls back) and must act only
   * through `tx`: an adapter may run it more than once before committing (postgres loads the
   * documents it reads, then runs it again). Concurrent transactions on one projection serialise.
   */
  transaction<T>(projection: string, work: (tx: ProjectionUnitOfWork) => T): Promise<T>;
  get(projection: string, key: string): Promise<ProjectionDocument | undefined>;
  list(projection: string, options: ListOptions): Promise<ListPage>;
  count(projection: string, options: CountOptions): Promise<number>;
  checkpoint(projection: string): Promise<ProjectionCheckpoint | undefined>;
  /** Deletes the projection's documents and checkpoint, as one transaction. */
  reset(projection: string): Promise<void>;
  close(): Promise<void>;
}
