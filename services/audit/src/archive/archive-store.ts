// The ArchiveStore port: the audit service's own append-only copy of every agency's events,
// independent of the agencies' stores. Each event is archived once (by id), at a dense 0-based
// sequence assigned when it arrives, as the canonical (RFC 8785) text of its recorded envelope:
// that text is what the Merkle log will hash, so it is kept byte for byte. One conformance suite
// (./testing/archive-conformance.ts) for every adapter.
import type { RecordedEvent } from '@nrm/contracts';

export type ArchivedEvent = {
  /** Dense, 0-based, in the order the archive received the events. */
  sequence: number;
  /** When the archive received it (UTC, milliseconds). */
  archivedAt: string;
  /** The recorded envelope exactly as archived: its RFC 8785 form. */
  envelope: string;
  event: RecordedEvent;
};

/**
 * An event that arrived again with different content than the archived copy: the event was
 * altered after it was recorded, or a copy was corrupted. The archived copy is never replaced.
 */
export type ArchiveConflict = { id: string; sequence: number; archivedHash: string; receivedHash: string };

export type RecordOutcome = {
  /** Events archived by this call; those already archived (redeliveries) are skipped. */
  added: number;
  conflicts: ArchiveConflict[];
};

export type ArchiveRange = { from: number; limit: number };

export interface ArchiveStore {
  readonly name: 'sqlite' | 'postgres';
  /** Archives the events in the order given, skipping any already archived. All or nothing. */
  record(events: readonly RecordedEvent[]): Promise<RecordOutcome>;
  /** Every archived event of the case, in archive order. */
  caseEvents(caseId: string): Promise<ArchivedEvent[]>;
  /** Up to `limit` events from sequence `from` on, in archive order. */
  read(range: ArchiveRange): Promise<ArchivedEvent[]>;
  /** How many events the archive holds, which is also the next sequence. */
  count(): Promise<number>;
  close(): Promise<void>;
}

export const MAX_READ_LIMIT = 10_000;

export class ArchiveClosedError extends Error {
  override readonly name = 'ArchiveClosedError';
  constructor(adapter: string) {
    super(`the ${adapter} archive is closed`);
  }
}

/** A request the archive refuses whatever its state: an event that is not a recorded envelope, a bad range. */
export class InvalidArchiveRequestError extends Error {
  override readonly name = 'InvalidArchiveRequestError';
}

export function assertRange({ from, limit }: ArchiveRange): void {
  if (!Number.isSafeInteger(from) || from < 0) throw new InvalidArchiveRequestError(`from must be a sequence (an integer ≥ 0); got ${from}`);
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_READ_LIMIT) throw new InvalidArchiveRequestError(`limit must be 1..${MAX_READ_LIMIT}; got ${limit}`);
}
