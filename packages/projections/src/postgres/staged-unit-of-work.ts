// A unit of work whose reads come from documents loaded beforehand and whose writes wait in
// memory for the commit. PostgreSQL cannot answer a synchronous get, so the adapter runs the
// work to learn what it reads: a read of a document not loaded yet is recorded as a miss and
// answered "absent", the run's outcome is discarded, every miss is loaded in one query, and the
// work runs again, until a run misses nothing. Only that run's writes are committed.
import type { JsonValue } from '@nrm/contracts';
import { assertCheckpoint, assertKey, documentText, storedPlacement } from '../document-validation.ts';
import type { DocumentPlacement, ProjectionCheckpoint, ProjectionDocument, ProjectionUnitOfWork } from '../projection-store.ts';
import { documentFromRow } from '../stored-document.ts';
import type { DocumentRow } from '../stored-document.ts';
import { transactionLifetime } from '../synchronous-work.ts';

/** Loaded documents by key; null records that the key has no document. */
export type LoadedDocuments = Map<string, DocumentRow | null>;

export type StagedUnitOfWork = {
  tx: ProjectionUnitOfWork;
  /** Keys read that were neither loaded nor written in this run. */
  misses: Set<string>;
  /** The final state of every key written: a row to upsert, or null to delete. */
  writes: Map<string, DocumentRow | null>;
  /** The checkpoint to store, if the work set one. */
  newCheckpoint(): ProjectionCheckpoint | undefined;
  end(): void;
};

export function stagedUnitOfWork(loaded: LoadedDocuments, stored: ProjectionCheckpoint | undefined): StagedUnitOfWork {
  const lifetime = transactionLifetime();
  const writes = new Map<string, DocumentRow | null>();
  const misses = new Set<string>();
  let checkpoint = stored;
  let checkpointSet = false;

  const tx: ProjectionUnitOfWork = {
    get(key: string): ProjectionDocument | undefined {
      lifetime.assertActive();
      assertKey(key);
      const row = writes.has(key) ? writes.get(key) : loaded.get(key);
      if (row === undefined) {
        misses.add(key);
        return undefined;
      }
      // Parsed afresh each time, so changing a returned document cannot leak into the next run.
      return row === null ? undefined : documentFromRow(row);
    },
    put(key: string, doc: JsonValue, placement: DocumentPlacement): void {
      lifetime.assertActive();
      assertKey(key);
      const { partition, sortKey, tags } = storedPlacement(placement);
      writes.set(key, { key, partition, sort_key: sortKey, tags: JSON.stringify(tags), doc: documentText(doc) });
    },
    delete(key: string): void {
      lifetime.assertActive();
      assertKey(key);
      writes.set(key, null);
    },
    checkpoint(): ProjectionCheckpoint | undefined {
      lifetime.assertActive();
      return checkpoint && { ...checkpoint };
    },
    setCheckpoint(next: ProjectionCheckpoint): void {
      lifetime.assertActive();
      assertCheckpoint(next);
      checkpoint = { position: next.position, version: next.version };
      checkpointSet = true;
    },
  };

  return {
    tx,
    misses,
    writes,
    newCheckpoint: () => (checkpointSet ? checkpoint : undefined),
    end: lifetime.end,
  };
}
