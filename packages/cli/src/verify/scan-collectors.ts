// One pass over a store or over the archive, reduced to what comparing them needs (ids, hashes,
// positions in flat arrays) plus the discrepancies the pass itself finds: the scans through the
// ports, and, on the SQLite path, the archived copies that did not match a stored text.
import { hashEvent, sha256Hex } from '@nrm/contracts';
import type { ChainBreak, RecordedEvent } from '@nrm/contracts';
import { agencyOf, envelopeParts } from './canonical-text-fields.ts';
import { DiscrepancyLog } from './discrepancy-log.ts';
import type { Discrepancy } from './verify-types.ts';

export type StoreScan = {
  events: number;
  streams: number;
  agencies: string[];
  ids: string[];
  hashes: string[];
  positions: number[];
  found: Discrepancy[];
};

export type ArchiveScan = {
  sequences: number[];
  ids: string[];
  hashes: string[];
  positions: number[];
  agencies: string[];
  found: Discrepancy[];
  /** The archive could not be read from here on: what follows is not part of it. */
  unreadableFrom: number | null;
};

function locate(event: RecordedEvent): Pick<Discrepancy, 'stream' | 'revision' | 'position' | 'eventId'> {
  return { stream: event.stream, revision: event.revision, position: event.position, eventId: event.id };
}

export function chainProblem(broken: ChainBreak): string {
  const words: Record<ChainBreak['problem'], string> = {
    'hash-mismatch': 'hash mismatch',
    'prev-hash-mismatch': 'chain broken: prevHash',
    'revision-gap': 'revision gap',
    'position-gap': 'position gap',
    'position-order': 'position order',
    unreadable: 'unreadable',
    'column-mismatch': 'column mismatch',
  };
  return `${words[broken.problem]}: ${broken.detail}`;
}

const agencyNames = new Map<string, string>();

/** One string per agency name, not one per event. */
function interned(agency: string): string {
  const known = agencyNames.get(agency);
  if (known !== undefined) return known;
  const copy = JSON.parse(JSON.stringify(agency)) as string;
  agencyNames.set(copy, copy);
  return copy;
}

export class StoreScanner {
  private readonly scan: StoreScan = { events: 0, streams: 0, agencies: [], ids: [], hashes: [], positions: [], found: [] };
  private readonly agencies = new Set<string>();
  private readonly found = new DiscrepancyLog();
  private lastPosition = -1;

  private readonly store: string;

  constructor(store: string) {
    this.store = store;
  }

  get events(): number {
    return this.scan.events;
  }

  chainBroken(broken: ChainBreak): void {
    this.found.add({ kind: 'chain-broken', store: this.store, stream: broken.stream, revision: broken.revision, position: broken.position, eventId: broken.eventId, problem: chainProblem(broken) });
  }

  /** An event as the store's reader hands it out (its chains checked separately). */
  event(id: string, hash: string, position: number, agency: string, revision: number): void {
    const scan = this.scan;
    scan.events++;
    if (revision === 0) scan.streams++;
    this.agencies.add(interned(agency));
    scan.ids.push(id);
    scan.hashes.push(hash);
    scan.positions.push(position);
    this.lastPosition = position;
  }

  unreadable(message: string): void {
    this.found.add({ kind: 'store-unreadable', store: this.store, position: this.lastPosition + 1, problem: `the store cannot be read after position ${this.lastPosition}: ${message}` });
  }

  result(): StoreScan {
    return { ...this.scan, agencies: [...this.agencies], found: this.found.all() };
  }
}

export class ArchiveScanner {
  private readonly scan: ArchiveScan = { sequences: [], ids: [], hashes: [], positions: [], agencies: [], found: [], unreadableFrom: null };
  private readonly found = new DiscrepancyLog();

  /** An archived row, in sequence order. Returns false when the row cannot be read (nothing after it is). */
  row(sequence: number, idColumn: string, envelope: string): boolean {
    const parts = envelopeParts(envelope);
    const agency = parts && parts.id === idColumn ? agencyOf(envelope) : null;
    if (parts && agency !== null) {
      // Re-hash what the archive holds: a copy altered in the archive no longer matches its hash.
      // The digest and the id column are kept rather than pieces of the envelope, which would
      // keep every envelope in memory.
      const hash = sha256Hex(parts.hashedText);
      if (hash === parts.hash) {
        this.event(sequence, idColumn, hash, parts.position, interned(agency));
        return true;
      }
    }
    let event: RecordedEvent;
    try {
      event = JSON.parse(envelope) as RecordedEvent;
    } catch (error) {
      this.unreadable(sequence, (error as Error).message);
      return false;
    }
    if (hashEvent(event) !== event.hash) this.mismatch(sequence, event);
    this.event(sequence, event.id, event.hash, event.position, interned(event.agency));
    return true;
  }

  private mismatch(sequence: number, event: RecordedEvent): void {
    this.found.add({ kind: 'archive-hash-mismatch', ...locate(event), sequence, problem: 'the archived envelope does not hash to its recorded hash' });
  }

  private event(sequence: number, id: string, hash: string, position: number, agency: string): void {
    const scan = this.scan;
    scan.sequences.push(sequence);
    scan.ids.push(id);
    scan.hashes.push(hash);
    scan.positions.push(position);
    scan.agencies.push(agency);
  }

  unreadable(from: number, message: string): void {
    this.scan.unreadableFrom = from;
    this.found.add({ kind: 'archive-unreadable', sequence: from, problem: `the archive cannot be read from sequence ${from}: ${message}` });
  }

  result(): ArchiveScan {
    return { ...this.scan, found: this.found.all() };
  }
}
