// The SQLite path of `verifyBackbone`: when every store and the archive are SQLite files, they
// are scanned on worker threads (sqlite-scan-tasks.ts) and only what did not match as text is
// looked at again here, by the same comparison the other path uses (compare-scans.ts).
import type { ChainBreak, RecordedEvent } from '@nrm/contracts';
import type { DiscrepancyLog } from './discrepancy-log.ts';
import { compareStore, findMissingFromStores } from './compare-scans.ts';
import type { ArchiveIndex, EventLookup } from './compare-scans.ts';
import { stitch } from '@nrm/contracts/chain-links';
import { ArchiveScanner, chainProblem } from './scan-collectors.ts';
import type { StoreScan } from './scan-collectors.ts';
import { SCAN_THREADS, runScanTasks } from './scan-pool.ts';
import type { ScanTask } from './scan-tasks.ts';
import type { JoinScan } from './sqlite-scan-tasks.ts';
import { sqliteArchivePresence, sqliteArchiveSequencesOf, sqliteArchiveSize, sqliteArchivedEventAt, sqliteArchivedRows, sqliteStoreHead, sqliteStoredEventAt, sqliteStoredRows, sqliteStoredRowsFrom } from './sqlite-read.ts';
import { idOf } from './canonical-text-fields.ts';
import type { BackboneVerification } from './verify-types.ts';

/** Ranges per thread and store: several, so that a thread done early can take over some of another's. */
const RANGES_PER_THREAD = 2;

export type SqliteTarget = { shown: string; path: string };

type Progress = (step: string, done: number, total: number) => void;

/**
 * Each store cut into ranges of positions, a few per thread; a thread's lane is the same part of
 * every store (the first half, the second…), and so, the archive being in arrival order, mostly
 * the same part of the archive.
 */
function scanTasks(stores: readonly SqliteTarget[], heads: readonly number[], archivePath: string): { tasks: ScanTask[]; lanes: number[]; joinsOf: number[][] } {
  const tasks: ScanTask[] = [];
  const lanes: number[] = [];
  const joinsOf = stores.map(() => [] as number[]);
  const count = SCAN_THREADS * RANGES_PER_THREAD;
  for (const [at, store] of stores.entries()) {
    const size = Math.max(1, Math.ceil((heads[at]! + 1) / count));
    for (let range = 0; range < count; range++) {
      const last = range === count - 1;
      joinsOf[at]!.push(tasks.length);
      lanes.push(Math.floor(range / RANGES_PER_THREAD));
      tasks.push({ path: store.path, archivePath, after: range * size - 1, to: last ? Number.MAX_SAFE_INTEGER : (range + 1) * size - 1 });
    }
  }
  return { tasks, lanes, joinsOf };
}

/** Where each gap in the sequences is: the first (sequence after it and what was expected) and how many. */
function sequenceGaps(present: Uint8Array): { sequence: number; expected: number; count: number } | null {
  let expected = 0;
  let first: { sequence: number; expected: number; count: number } | null = null;
  for (let sequence = 0; sequence < present.length; sequence++) {
    if (present[sequence] === 0) continue;
    if (sequence !== expected) {
      if (first) first.count++;
      else first = { sequence, expected, count: 1 };
    }
    expected = sequence + 1;
  }
  return first;
}

export type SqliteVerification = { stores: BackboneVerification['stores']; archiveEvents: number; ofOtherAgencies: Record<string, number> };

export async function verifySqlite(stores: readonly SqliteTarget[], archivePath: string, found: DiscrepancyLog, embedded: boolean, progress: Progress): Promise<SqliteVerification> {
  const heads = stores.map((store) => sqliteStoreHead(store.path));
  // Read first: an archive that grows while it is verified is verified up to here.
  const archiveSize = sqliteArchiveSize(archivePath);
  const { tasks, lanes, joinsOf } = scanTasks(stores, heads, archivePath);
  const total = heads.reduce((sum, head) => sum + head + 1, 0);
  const done = new Map<number, number>();
  const results = await runScanTasks(tasks, (task) => lanes[task]!, (task, rows) => {
    done.set(task, rows);
    progress('stores and archive', [...done.values()].reduce((sum, part) => sum + part, 0), total);
  });
  const archived: EventLookup = async (sequence) => sqliteArchivedEventAt(archivePath, sequence);

  // Which store's text each archived copy matched; what is left is compared the slower way.
  const heldBy = new Int32Array(archiveSize).fill(-1);
  let held = 0;
  const counts: { events: number; streams: number }[] = [];
  const agenciesOf: Set<string>[] = [];
  const unmatched: number[][] = [];
  const unhashedMatches: { store: number; position: number; sequence: number }[] = [];
  for (const [at, store] of stores.entries()) {
    const joins = joinsOf[at]!.map((task) => results[task]!);
    const broken = stitch(joins.map((join) => join.links));
    if (broken) found.add({ kind: 'chain-broken', store: store.shown, stream: broken.stream, revision: broken.revision, position: broken.position, eventId: broken.eventId, problem: chainProblem(broken) });
    const readable = readableFrom(store, broken, joins, found);
    counts.push(readable);
    agenciesOf.push(new Set(joins.flatMap((join) => join.agencies)));
    const unhashed = new Set(joins.flatMap((join) => join.unhashed));
    const left: number[] = [];
    for (const { positions, sequences } of joins) {
      for (let i = 0; i < positions.length; i++) {
        const position = positions[i]!;
        // The store's reader stops at a row it cannot read: nothing after it is in the store.
        if (readable.unreadableAt !== null && position >= readable.unreadableAt) break;
        const sequence = sequences[i]!;
        if (sequence < 0 || sequence >= archiveSize) left.push(position);
        else {
          if (heldBy[sequence] === -1) held++;
          heldBy[sequence] = at;
          // The archived copy is the stored text, but that text does not hash to its hash.
          if (unhashed.has(position)) unhashedMatches.push({ store: at, position, sequence });
        }
      }
    }
    unmatched.push(left);
  }

  // Every sequence matched is every sequence there: the archive's rows are not read again to
  // find out which exist (a third of a second on a million events).
  const present = held === archiveSize ? new Uint8Array(archiveSize).fill(1) : sqliteArchivePresence(archivePath, archiveSize);
  const gap = sequenceGaps(present);
  if (gap) {
    const event = sqliteArchivedEventAt(archivePath, gap.sequence);
    found.add({ kind: 'archive-sequence-gap', ...(event ? { stream: event.stream, revision: event.revision, position: event.position, eventId: event.id } : {}), sequence: gap.sequence, problem: `sequence ${gap.sequence} where ${gap.expected} was expected` }, gap.count);
  }

  // Every archived copy not matched as text is hashed and indexed, with those the unmatched
  // stored events name (which another store's text may have matched).
  const storedLeft = stores.map((store, at) => sqliteStoredRows(store.path, unmatched[at]!));
  const leftIds = storedLeft.flatMap((rows) => rows.map((row) => idOf(row.body) ?? safeId(row.body)).filter((id): id is string => id !== null));
  const namedSequences = sqliteArchiveSequencesOf(archivePath, leftIds);
  const toIndex: number[] = [];
  for (let sequence = 0; sequence < present.length; sequence++) if (present[sequence] === 1 && heldBy[sequence] === -1) toIndex.push(sequence);
  for (const sequence of namedSequences.values()) if (heldBy[sequence] !== -1) toIndex.push(sequence);
  for (const { sequence } of unhashedMatches) if (heldBy[sequence] !== -1) toIndex.push(sequence);
  const scanner = new ArchiveScanner();
  for (const row of sqliteArchivedRows(archivePath, [...new Set(toIndex)].sort((a, b) => a - b))) scanner.row(row.sequence, row.id, row.envelope);
  const scan = scanner.result();
  found.addAll(scan.found);
  const index: ArchiveIndex = { byId: new Map(scan.ids.map((id, at) => [id, at])), scan, heldBy: Int32Array.from(scan.sequences, (sequence) => heldBy[sequence]!) };

  const result: SqliteVerification = { stores: [], archiveEvents: 0, ofOtherAgencies: {} };
  for (const [at, store] of stores.entries()) {
    const rows = storedLeft[at]!;
    const storeScan: StoreScan = { events: rows.length, streams: 0, agencies: [], ids: [], hashes: [], positions: [], found: [] };
    for (const row of rows) {
      const id = idOf(row.body) ?? safeId(row.body);
      if (id === null) continue;
      storeScan.ids.push(id);
      storeScan.hashes.push(row.hash);
      storeScan.positions.push(row.position);
    }
    await compareStore(store.shown, at, storeScan, index, found, async (position) => sqliteStoredEventAt(store.path, position));
    const { events, streams } = counts[at]!;
    progress(`${store.shown} against the archive`, events, events);
    result.stores.push({ url: store.shown, events, streams });
  }
  result.ofOtherAgencies = await findMissingFromStores(index, stores.map((store) => store.shown), agenciesOf, embedded, found, archived);
  result.archiveEvents = present.reduce((sum, flag) => sum + flag, 0);
  return result;
}

/**
 * How many events the store's reader hands out, and how many streams they start: up to the first
 * break every text was checked, after it each is parsed, and the reader stops at one that is not JSON.
 */
function readableFrom(store: SqliteTarget, broken: ChainBreak | null, joins: readonly JoinScan[], found: DiscrepancyLog): { events: number; streams: number; unreadableAt: number | null } {
  if (broken === null) return { events: joins.reduce((sum, join) => sum + join.positions.length, 0), streams: joins.reduce((sum, join) => sum + join.streamStarts.length, 0), unreadableAt: null };
  const from = broken.position;
  let events = 0;
  let streams = 0;
  for (const join of joins) {
    for (const position of join.positions) if (position < from) events++;
    for (const position of join.streamStarts) if (position < from) streams++;
  }
  let lastPosition = events - 1;
  for (const row of sqliteStoredRowsFrom(store.path, from)) {
    let revision: number;
    try {
      revision = (JSON.parse(row.body) as RecordedEvent).revision;
    } catch (error) {
      found.add({ kind: 'store-unreadable', store: store.shown, position: lastPosition + 1, problem: `the store cannot be read after position ${lastPosition}: ${(error as Error).message}` });
      return { events, streams, unreadableAt: lastPosition + 1 };
    }
    events++;
    if (revision === 0) streams++;
    lastPosition = row.position;
  }
  return { events, streams, unreadableAt: null };
}

function safeId(body: string): string | null {
  try {
    return (JSON.parse(body) as { id?: unknown }).id as string;
  } catch {
    return null;
  }
}
