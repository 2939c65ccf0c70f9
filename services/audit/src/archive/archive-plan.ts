// What both adapters do around their SQL, in one place: check that each event is a recorded
// envelope and take its canonical text, then, against the copies already archived under the
// same ids, decide which rows to add (at the next sequences) and which arrivals conflict.
import { RecordedEventSchema, canonicalize } from '@nrm/contracts';
import type { RecordedEvent } from '@nrm/contracts';
import { InvalidArchiveRequestError } from './archive-store.ts';
import type { ArchiveConflict, ArchivedEvent } from './archive-store.ts';

export type IncomingEvent = { id: string; caseId: string | null; agency: string; type: string; recordedAt: string; hash: string; envelope: string };

export type ArchiveRow = IncomingEvent & { sequence: number; archivedAt: string };

/** The archived copy of an event, as far as deciding about a new arrival needs it. */
export type ArchivedCopy = { sequence: number; hash: string; envelope: string };

export function incomingEvents(events: readonly RecordedEvent[]): IncomingEvent[] {
  return events.map((candidate, index) => {
    const parsed = RecordedEventSchema.safeParse(candidate);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new InvalidArchiveRequestError(`event ${index} is not a recorded envelope: ${issue ? `${issue.path.join('.') || '(root)'} ${issue.message}` : 'invalid'}`);
    }
    const event = parsed.data;
    return { id: event.id, caseId: event.caseId, agency: event.agency, type: event.type, recordedAt: event.recordedAt, hash: event.hash, envelope: canonicalize(event) };
  });
}

/**
 * Rows to insert, in arrival order from `nextSequence` on, and the conflicts. `archived` holds
 * the stored copies of the incoming ids; an id repeated within the batch is checked against its
 * first arrival.
 */
export function planArchive(incoming: readonly IncomingEvent[], archived: ReadonlyMap<string, ArchivedCopy>, nextSequence: number, archivedAt: string): { rows: ArchiveRow[]; conflicts: ArchiveConflict[] } {
  const known = new Map(archived);
  const rows: ArchiveRow[] = [];
  const conflicts: ArchiveConflict[] = [];
  for (const event of incoming) {
    const copy = known.get(event.id);
    if (copy) {
      if (copy.envelope !== event.envelope) conflicts.push({ id: event.id, sequence: copy.sequence, archivedHash: copy.hash, receivedHash: event.hash });
      continue;
    }
    const row: ArchiveRow = { ...event, sequence: nextSequence + rows.length, archivedAt };
    rows.push(row);
    known.set(event.id, row);
  }
  return { rows, conflicts };
}

export function archivedEvent(sequence: number, archivedAt: string, envelope: string): ArchivedEvent {
  return { sequence, archivedAt, envelope, event: JSON.parse(envelope) as RecordedEvent };
}
