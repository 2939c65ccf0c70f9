// The scans through the ports, for stores and archives that are not SQLite files (PostgreSQL):
// the store's own chain check, then its events as its reader hands them out; the archive a page
// at a time. They feed the same collectors as the SQLite scans.
import type { RecordedEvent } from '@nrm/contracts';
import type { ArchiveStore } from '@nrm/audit';
import type { EventStore } from '@nrm/eventstore';
import { ArchiveScanner, StoreScanner } from './scan-collectors.ts';
import type { ArchiveScan, StoreScan } from './scan-collectors.ts';

/** The most an archive read may return. */
const ARCHIVE_PAGE = 10_000;

export async function scanStoreThroughPort(store: EventStore, shown: string, progress: (step: string, done: number, total: number) => void): Promise<StoreScan> {
  const scanner = new StoreScanner(shown);
  const total = (await store.headPosition()) + 1;
  const chains = await store.verifyAll({ onProgress: (checked) => progress(`chains of ${shown}`, checked, total) });
  if (!chains.ok) scanner.chainBroken(chains.firstBreak);
  try {
    for await (const event of store.readAll()) {
      scanner.event(event.id, event.hash, event.position, event.agency, event.revision);
      if (scanner.events % 10_000 === 0) progress(`${shown} read`, scanner.events, total);
    }
  } catch (error) {
    scanner.unreadable((error as Error).message);
  }
  return scanner.result();
}

export async function storedEventThroughPort(store: EventStore, position: number): Promise<RecordedEvent | undefined> {
  for await (const event of store.readAll({ after: position - 1, limit: 1 })) return event.position === position ? event : undefined;
  return undefined;
}

export async function scanArchiveThroughPort(archive: ArchiveStore, progress: (done: number, total: number) => void): Promise<ArchiveScan> {
  const scanner = new ArchiveScanner();
  const total = await archive.count();
  let done = 0;
  for (let from = 0; from < total; ) {
    let page;
    try {
      page = await archive.read({ from, limit: ARCHIVE_PAGE });
    } catch (error) {
      scanner.unreadable(from, (error as Error).message);
      break;
    }
    if (page.length === 0) break;
    for (const { sequence, envelope, event } of page) scanner.row(sequence, event.id, envelope);
    done += page.length;
    from = page[page.length - 1]!.sequence + 1;
    progress(done, total);
  }
  return scanner.result();
}
