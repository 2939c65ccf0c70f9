// Fills the archive from the bus: every agency's events (no filter), under the durable consumer
// `audit.archive`. Delivery is at least once; the archive skips what it already holds, so
// redelivery duplicates nothing. An event is never skipped because the archive's storage
// failed: it is retried (backoff capped at 5 s) until it is archived. An event that arrives
// altered is not archived over the original and is reported loudly. The embedded bus hands over
// what arrived together as one batch, archived in one transaction.
import type { Bus, Consumer } from '@nrm/bus';
import type { RecordedEvent } from '@nrm/contracts';
import { InvalidArchiveRequestError } from './archive-store.ts';
import type { ArchiveConflict, ArchiveStore } from './archive-store.ts';

export const ARCHIVE_CONSUMER = 'audit.archive';

export type ArchiveConsumerReports = {
  /** An archived event arrived again with different content. */
  onConflict(conflict: ArchiveConflict, event: RecordedEvent): void;
  /** Something the archive can never take (not a recorded envelope): reported, then passed over. */
  onRefused(event: RecordedEvent, error: InvalidArchiveRequestError): void;
  /** The archive failed; the event will be offered again. */
  onRetry(event: RecordedEvent, error: unknown, attempt: number): void;
  /** The bus itself failed; it resumes from its checkpoint. */
  onError(error: unknown): void;
};

export const consoleReports: ArchiveConsumerReports = {
  onConflict: (conflict, event) =>
    console.error(
      `[audit] ARCHIVE CONFLICT: event ${conflict.id} (${event.type} of ${event.agency}) arrived with hash ${conflict.receivedHash} ` +
        `and different content from the copy archived at sequence ${conflict.sequence} (hash ${conflict.archivedHash}). ` +
        'The archived copy is kept: the event was altered after it was recorded, or a copy was corrupted on the way.',
    ),
  onRefused: (event, error) => console.error(`[audit] ARCHIVE REFUSED event ${event.id}: ${error.message}`),
  onRetry: (event, error, attempt) => console.error(`[audit] archiving event ${event.id} failed (attempt ${attempt}), retrying: ${String(error)}`),
  onError: (error) => console.error(`[audit] archive consumer: the bus failed, resuming from the checkpoint: ${String(error)}`),
};

export function startArchiveConsumer(bus: Bus, archive: ArchiveStore, reports: ArchiveConsumerReports = consoleReports): Consumer {
  return bus.consume({
    consumer: ARCHIVE_CONSUMER,
    maxAttempts: Number.POSITIVE_INFINITY,
    // What arrived together is archived in one transaction; an event the archive refuses makes
    // the whole batch throw (nothing of it written), and the bus then hands the events over one
    // by one, so the refusal is reported for that event alone.
    async handleBatch(events) {
      const { conflicts } = await archive.record(events);
      for (const conflict of conflicts) reports.onConflict(conflict, events.find((event) => event.id === conflict.id)!);
    },
    async handler(event) {
      try {
        const { conflicts } = await archive.record([event]);
        for (const conflict of conflicts) reports.onConflict(conflict, event);
      } catch (error) {
        if (!(error instanceof InvalidArchiveRequestError)) throw error;
        reports.onRefused(event, error);
      }
    },
    onRetry: (event, error, attempt) => reports.onRetry(event, error, attempt),
    onError: (error) => reports.onError(error),
  });
}
