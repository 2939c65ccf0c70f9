// The archive against the stores, on the scans' flat arrays: the archive indexed by event id,
// each store's events looked up in it, then what the archive holds that no store does. Only the
// first discrepancy of each kind is looked up again for where it is; the rest are counted.
import type { RecordedEvent } from '@nrm/contracts';
import type { DiscrepancyLog } from './discrepancy-log.ts';
import type { ArchiveScan, StoreScan } from './scan-collectors.ts';
import type { Discrepancy } from './verify-types.ts';

/** Looks an event up again, by store position or archive sequence, to say where a discrepancy is. */
export type EventLookup = (at: number) => Promise<RecordedEvent | undefined>;

type Located = Pick<Discrepancy, 'stream' | 'revision' | 'position' | 'eventId'>;

async function locate(lookup: EventLookup, at: number, fallback: Located): Promise<Located> {
  const event = await lookup(at).catch(() => undefined);
  return event ? { stream: event.stream, revision: event.revision, position: event.position, eventId: event.id } : fallback;
}

/** The archive as one index: its scans in sequence order, up to where it could not be read. */
export type ArchiveIndex = {
  byId: Map<string, number>;
  scan: Omit<ArchiveScan, 'found' | 'unreadableFrom'>;
  /** The store (index in the stores given) that holds the event; -1 until one does. */
  heldBy: Int32Array;
};

export async function indexArchive(scans: readonly ArchiveScan[], found: DiscrepancyLog, archived: EventLookup): Promise<ArchiveIndex> {
  const scan: ArchiveIndex['scan'] = { sequences: [], ids: [], hashes: [], positions: [], agencies: [] };
  for (const part of scans) {
    found.addAll(part.found);
    for (const key of ['sequences', 'ids', 'hashes', 'positions', 'agencies'] as const) {
      const into = scan[key] as unknown[];
      for (const value of part[key]) into.push(value);
    }
    if (part.unreadableFrom !== null) break;
  }
  let expected = 0;
  let gap: { at: number; expected: number; count: number } | null = null;
  const byId = new Map<string, number>();
  for (let at = 0; at < scan.sequences.length; at++) {
    const sequence = scan.sequences[at]!;
    if (sequence !== expected) {
      if (gap) gap.count++;
      else gap = { at, expected, count: 1 };
    }
    expected = sequence + 1;
    byId.set(scan.ids[at]!, at);
  }
  if (gap) {
    const sequence = scan.sequences[gap.at]!;
    const where = await locate(archived, sequence, { position: scan.positions[gap.at]!, eventId: scan.ids[gap.at]! });
    found.add({ kind: 'archive-sequence-gap', ...where, sequence, problem: `sequence ${sequence} where ${gap.expected} was expected` }, gap.count);
  }
  return { byId, scan, heldBy: new Int32Array(scan.sequences.length).fill(-1) };
}

type FirstOfKind = { at: number; problem: string; sequence?: number; count: number };

/** Each event of one store against its archived copy, by id: same hash, same position. */
export async function compareStore(shown: string, storeIndex: number, store: StoreScan, archive: ArchiveIndex, found: DiscrepancyLog, stored: EventLookup): Promise<void> {
  const { byId, scan, heldBy } = archive;
  let missing: FirstOfKind | null = null;
  let differs: FirstOfKind | null = null;
  for (let i = 0; i < store.ids.length; i++) {
    const at = byId.get(store.ids[i]!);
    if (at === undefined) {
      if (missing) missing.count++;
      else missing = { at: i, problem: 'missing from archive: the store holds an event the archive never received', count: 1 };
      continue;
    }
    heldBy[at] = storeIndex;
    // Each side's text re-hashed to its hash (chains, archive scan), so equal hashes mean equal texts.
    let problem: string | null = null;
    if (scan.hashes[at] !== store.hashes[i]) problem = `hash mismatch: the store has ${store.hashes[i]}, the archive ${scan.hashes[at]}`;
    else if (scan.positions[at] !== store.positions[i]) problem = `moved: archived at position ${scan.positions[at]}`;
    if (problem === null) continue;
    if (differs) differs.count++;
    else differs = { at: i, problem, sequence: scan.sequences[at]!, count: 1 };
  }
  for (const [kind, first] of [['missing-from-archive', missing], ['differs-from-archive', differs]] as const) {
    if (!first) continue;
    const position = store.positions[first.at]!;
    const where = await locate(stored, position, { position, eventId: store.ids[first.at]! });
    found.add({ kind, store: shown, ...where, ...(first.sequence === undefined ? {} : { sequence: first.sequence }), problem: first.problem }, first.count);
  }
}

/**
 * An archived event no store holds is missing from the store that keeps its agency's events.
 * The embedded log (one store, the archive in it) keeps every agency's, even once emptied;
 * otherwise events of agencies no given store holds are only counted, by agency (returned).
 */
export async function findMissingFromStores(
  archive: ArchiveIndex,
  storesShown: readonly string[],
  agenciesOf: readonly ReadonlySet<string>[],
  embedded: boolean,
  found: DiscrepancyLog,
  archived: EventLookup,
): Promise<Record<string, number>> {
  const { scan, heldBy } = archive;
  const ownerOf = new Map<string, number>();
  const ofOtherAgencies: Record<string, number> = {};
  const missing = new Map<number, { first: number; count: number }>();
  for (let at = 0; at < heldBy.length; at++) {
    if (heldBy[at] !== -1) continue;
    const agency = scan.agencies[at]!;
    let owner = ownerOf.get(agency);
    if (owner === undefined) {
      owner = embedded ? 0 : agenciesOf.findIndex((agencies) => agencies.has(agency));
      ownerOf.set(agency, owner);
    }
    if (owner === -1) {
      ofOtherAgencies[agency] = (ofOtherAgencies[agency] ?? 0) + 1;
      continue;
    }
    const seen = missing.get(owner);
    if (seen) seen.count++;
    else missing.set(owner, { first: at, count: 1 });
  }
  for (const [owner, { first, count }] of missing) {
    const sequence = scan.sequences[first]!;
    const where = await locate(archived, sequence, { position: scan.positions[first]!, eventId: scan.ids[first]! });
    found.add({ kind: 'missing-from-store', store: storesShown[owner]!, ...where, sequence, problem: 'missing from store: the archive holds an event the store no longer has' }, count);
  }
  return ofOtherAgencies;
}
