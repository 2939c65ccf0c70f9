// `nrm verify` without the terminal: re-checks every store's hash chains, the audit archive's own
// rows, and that each store and the archive agree event for event. Each check reports the first
// discrepancy of its kind with where it is (store, stream, revision, position, archive sequence,
// event id), and how many more of that kind it met.
//
// Everything is read in pages and compared in memory (the archive is indexed by event id once),
// so a log of a million events costs a few sequential scans, never a query per event.
import { existsSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { hashEvent, sha256Hex } from '@nrm/contracts';
import type { ChainBreak, RecordedEvent } from '@nrm/contracts';
import { createPostgresArchiveStore, createSqliteArchiveStore } from '@nrm/audit';
import type { ArchiveStore } from '@nrm/audit';
import { openEventStore, parseStoreUrl } from '@nrm/eventstore';
import type { EventStore } from '@nrm/eventstore';

export type DiscrepancyKind =
  | 'chain-broken'
  | 'store-unreadable'
  | 'missing-from-archive'
  | 'differs-from-archive'
  | 'missing-from-store'
  | 'archive-hash-mismatch'
  | 'archive-sequence-gap'
  | 'archive-unreadable';

export type Discrepancy = {
  kind: DiscrepancyKind;
  /** The store it was found in (password hidden); absent for the archive's own checks. */
  store?: string;
  stream?: string;
  revision?: number;
  position?: number;
  /** Where the archive holds the event. */
  sequence?: number;
  eventId?: string;
  /** What is wrong, in words. */
  problem: string;
  /** How many discrepancies of this kind (in this store) were found; this one is the first. */
  count: number;
};

export type VerifyProgress = { step: string; done: number; total: number };

export type BackboneVerification = {
  ok: boolean;
  stores: { url: string; events: number; streams: number }[];
  /** `ofOtherAgencies`: archived events, by agency, that no given store holds events of (not compared). */
  archive: { location: string; events: number; ofOtherAgencies: Record<string, number> };
  discrepancies: Discrepancy[];
  ms: number;
};

export type VerifyBackboneOptions = {
  /** Event store URLs, as `--store` takes them. */
  stores: readonly string[];
  /** Where the audit archive lives: the audit service's store URL (same SQLite file or PostgreSQL schema). */
  archive: string;
  onProgress?: (progress: VerifyProgress) => void;
};

/** A store or archive that cannot be opened: nothing was verified. */
export class VerifyTargetError extends Error {
  override readonly name = 'VerifyTargetError';
}

/** The URL as it may be printed: without a password. */
export function displayUrl(url: string): string {
  if (!/^postgres(ql)?:/i.test(url)) return url;
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url.replace(/:[^:@/]*@/, ':***@');
  }
}

/** SQLite would create a missing file: a verification must never make up an empty log. */
function assertSqliteFileExists(url: string, what: string): void {
  const location = parseStoreUrl(url);
  if (location.kind === 'sqlite' && location.path !== ':memory:' && !existsSync(location.path)) {
    throw new VerifyTargetError(`${what} ${url}: no such file`);
  }
}

/** Opening an archive creates its table; in a file that has none, that would be a write and an empty archive. */
function assertSqliteHoldsArchive(path: string, url: string): void {
  const database = new DatabaseSync(path, { readOnly: true });
  try {
    if (!database.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit_archive'").get()) {
      throw new VerifyTargetError(`${url} holds no audit archive: give --archive the audit service's store (the embedded nrm.db holds it)`);
    }
  } finally {
    database.close();
  }
}

async function openArchiveAt(url: string): Promise<ArchiveStore> {
  const location = parseStoreUrl(url, { postgresSchema: 'audit' });
  switch (location.kind) {
    case 'sqlite':
      assertSqliteHoldsArchive(location.path, url);
      return createSqliteArchiveStore({ path: location.path });
    case 'postgres':
      return createPostgresArchiveStore({ connectionString: location.connectionString, schema: location.schema });
    case 'eventstoredb':
      throw new VerifyTargetError(`the archive is never in EventStoreDB: with an esdb store the audit service keeps it in sqlite:<data-dir>/audit-storage.db`);
  }
}

const ARCHIVE_PAGE = 10_000;

const HASH_MEMBER = ',"hash":"';
const POSITION_MEMBER = ',"position":';

/**
 * Whether an archived envelope re-hashes to its hash. The envelope is the RFC 8785 text of the
 * recorded event, which is the hashed form plus `hash` and `position`; cutting those two members
 * out of the text gives the hashed bytes without re-serialising the payload (several times
 * cheaper than `hashEvent`). Only scalar members follow `hash`, so its last occurrence is the
 * envelope's own. An envelope not laid out that way is checked the slow way.
 */
function envelopeHashHolds(envelope: string, event: RecordedEvent): boolean {
  const hashAt = envelope.lastIndexOf(HASH_MEMBER);
  const afterHash = hashAt + HASH_MEMBER.length + 64 + 1;
  const positionAt = envelope.indexOf(POSITION_MEMBER, afterHash);
  const afterPosition = positionAt + POSITION_MEMBER.length + String(event.position).length;
  const laidOut =
    hashAt > 0 &&
    envelope.slice(hashAt + HASH_MEMBER.length, afterHash - 1) === event.hash &&
    envelope.startsWith(',"id":"', afterHash) &&
    positionAt > 0 &&
    envelope.startsWith(`${POSITION_MEMBER}${event.position},"prevHash":"`, positionAt);
  if (!laidOut) return hashEvent(event) === event.hash;
  return sha256Hex(envelope.slice(0, hashAt) + envelope.slice(afterHash, positionAt) + envelope.slice(afterPosition)) === event.hash;
}

/**
 * The archive indexed by event id, in parallel arrays holding only what the comparison needs:
 * every string kept is retained for the whole run, and with a million events the garbage
 * collector's work grows with them. Stream and revision are covered by the hash, so equal hashes
 * mean equal streams and revisions; where a missing event was is read back from the archive.
 */
type ArchiveIndex = {
  byId: Map<string, number>;
  id: string[];
  sequence: number[];
  hash: string[];
  position: number[];
  /** Index into `agencies`. */
  agency: number[];
  agencies: string[];
  /** The store (index in `stores`) that holds the event; -1 until one does. */
  heldBy: Int32Array;
};

function locate(event: RecordedEvent): Pick<Discrepancy, 'stream' | 'revision' | 'position' | 'eventId'> {
  return { stream: event.stream, revision: event.revision, position: event.position, eventId: event.id };
}

/** First-of-kind bookkeeping: the first discrepancy is kept, the rest only counted. */
class DiscrepancyLog {
  private readonly byKey = new Map<string, Discrepancy>();

  add(found: Omit<Discrepancy, 'count'>, count = 1): void {
    const key = `${found.kind}\u0000${found.store ?? ''}`;
    const first = this.byKey.get(key);
    if (first) first.count += count;
    else this.byKey.set(key, { ...found, count });
  }

  all(): Discrepancy[] {
    return [...this.byKey.values()];
  }
}

async function indexArchive(archive: ArchiveStore, found: DiscrepancyLog, progress: (done: number, total: number) => void): Promise<ArchiveIndex> {
  const total = await archive.count();
  const index: ArchiveIndex = { byId: new Map(), id: [], sequence: [], hash: [], position: [], agency: [], agencies: [], heldBy: new Int32Array(0) };
  const agencyCodes = new Map<string, number>();
  let expected = 0;
  for (let from = 0; from < total; ) {
    let page;
    try {
      page = await archive.read({ from, limit: ARCHIVE_PAGE });
    } catch (error) {
      found.add({ kind: 'archive-unreadable', sequence: from, problem: `the archive cannot be read from sequence ${from}: ${(error as Error).message}` });
      break;
    }
    if (page.length === 0) break;
    for (const { sequence, envelope, event } of page) {
      if (sequence !== expected) found.add({ kind: 'archive-sequence-gap', ...locate(event), sequence, problem: `sequence ${sequence} where ${expected} was expected` });
      expected = sequence + 1;
      // Re-hash what the archive holds: a copy altered in the archive no longer matches its hash.
      if (!envelopeHashHolds(envelope, event)) found.add({ kind: 'archive-hash-mismatch', ...locate(event), sequence, problem: 'the archived envelope does not hash to its recorded hash' });
      index.byId.set(event.id, index.sequence.length);
      index.id.push(event.id);
      index.sequence.push(sequence);
      index.hash.push(event.hash);
      index.position.push(event.position);
      let agency = agencyCodes.get(event.agency);
      if (agency === undefined) {
        agency = index.agencies.push(event.agency) - 1;
        agencyCodes.set(event.agency, agency);
      }
      index.agency.push(agency);
    }
    from = expected;
    progress(index.sequence.length, total);
  }
  index.heldBy = new Int32Array(index.sequence.length).fill(-1);
  return index;
}

function chainProblem(broken: ChainBreak): string {
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

/** The store's own chains, then each of its events against the archive. Returns the agencies it holds. */
async function verifyStore(url: string, storeIndex: number, store: EventStore, archive: ArchiveIndex, found: DiscrepancyLog, progress: (step: string, done: number, total: number) => void): Promise<{ events: number; streams: number; agencies: Set<string> }> {
  const shown = displayUrl(url);
  const total = (await store.headPosition()) + 1;
  const chains = await store.verifyAll({ onProgress: (checked) => progress(`chains of ${shown}`, checked, total) });
  if (!chains.ok) {
    const broken = chains.firstBreak;
    found.add({ kind: 'chain-broken', store: shown, stream: broken.stream, revision: broken.revision, position: broken.position, eventId: broken.eventId, problem: chainProblem(broken) });
  }
  // The chain check re-hashed every stored body against its hash, and the archive check every
  // archived envelope against its hash, so equal hashes here mean equal canonical texts.
  const agencies = new Set<string>();
  let streams = 0;
  let events = 0;
  let lastPosition = -1;
  try {
    for await (const event of store.readAll()) {
      events++;
      lastPosition = event.position;
      agencies.add(event.agency);
      if (event.revision === 0) streams++;
      const at = archive.byId.get(event.id);
      if (at === undefined) {
        found.add({ kind: 'missing-from-archive', store: shown, ...locate(event), problem: 'missing from archive: the store holds an event the archive never received' });
      } else {
        archive.heldBy[at] = storeIndex;
        const sequence = archive.sequence[at]!;
        if (archive.hash[at] !== event.hash) {
          found.add({ kind: 'differs-from-archive', store: shown, ...locate(event), sequence, problem: `hash mismatch: the store has ${event.hash}, the archive ${archive.hash[at]}` });
        } else if (archive.position[at] !== event.position) {
          found.add({ kind: 'differs-from-archive', store: shown, ...locate(event), sequence, problem: `moved: archived at position ${archive.position[at]}` });
        }
      }
      if (events % 10_000 === 0) progress(`${shown} against the archive`, events, total);
    }
  } catch (error) {
    found.add({ kind: 'store-unreadable', store: shown, position: lastPosition + 1, problem: `the store cannot be read after position ${lastPosition}: ${(error as Error).message}` });
  }
  progress(`${shown} against the archive`, events, total);
  return { events, streams, agencies };
}

/**
 * An archived event no store holds is missing from the store that keeps its agency's events.
 * The embedded log (one store, the archive in it) keeps every agency's, even once emptied;
 * otherwise events of agencies no given store holds are only counted, by agency (returned).
 */
async function findMissingFromStores(index: ArchiveIndex, archive: ArchiveStore, options: VerifyBackboneOptions, agenciesOf: readonly Set<string>[], found: DiscrepancyLog): Promise<Record<string, number>> {
  const embedded = options.stores.length === 1 && options.stores[0] === options.archive;
  const ownerOf = index.agencies.map((agency) => (embedded ? 0 : agenciesOf.findIndex((agencies) => agencies.has(agency))));
  const ofOtherAgencies: Record<string, number> = {};
  const missing = new Map<number, { first: number; count: number }>();
  for (let at = 0; at < index.sequence.length; at++) {
    if (index.heldBy[at] !== -1) continue;
    const owner = ownerOf[index.agency[at]!]!;
    if (owner === -1) {
      const agency = index.agencies[index.agency[at]!]!;
      ofOtherAgencies[agency] = (ofOtherAgencies[agency] ?? 0) + 1;
      continue;
    }
    const seen = missing.get(owner);
    if (seen) seen.count++;
    else missing.set(owner, { first: at, count: 1 });
  }
  for (const [owner, { first, count }] of missing) {
    const sequence = index.sequence[first]!;
    const [archived] = await archive.read({ from: sequence, limit: 1 });
    found.add(
      {
        kind: 'missing-from-store',
        store: displayUrl(options.stores[owner]!),
        ...(archived ? locate(archived.event) : { position: index.position[first]!, eventId: index.id[first]! }),
        sequence,
        problem: 'missing from store: the archive holds an event the store no longer has',
      },
      count,
    );
  }
  return ofOtherAgencies;
}

export async function verifyBackbone(options: VerifyBackboneOptions): Promise<BackboneVerification> {
  const started = performance.now();
  const progress = (step: string, done: number, total: number) => options.onProgress?.({ step, done, total });
  for (const url of options.stores) assertSqliteFileExists(url, 'store');
  assertSqliteFileExists(options.archive, 'archive');
  const found = new DiscrepancyLog();
  const archive = await openArchiveAt(options.archive).catch((error: Error) => {
    throw error instanceof VerifyTargetError ? error : new VerifyTargetError(`cannot open the archive at ${displayUrl(options.archive)}: ${error.message}`);
  });
  try {
    const index = await indexArchive(archive, found, (done, total) => progress('archive', done, total));
    const stores: BackboneVerification['stores'] = [];
    const agenciesOf: Set<string>[] = [];
    for (const [storeIndex, url] of options.stores.entries()) {
      const store = await openEventStore(url).catch((error: Error) => {
        throw new VerifyTargetError(`cannot open the store ${displayUrl(url)}: ${error.message}`);
      });
      try {
        const checked = await verifyStore(url, storeIndex, store, index, found, progress);
        stores.push({ url: displayUrl(url), events: checked.events, streams: checked.streams });
        agenciesOf.push(checked.agencies);
      } finally {
        await store.close();
      }
    }
    const ofOtherAgencies = await findMissingFromStores(index, archive, options, agenciesOf, found);
    const discrepancies = found.all();
    return {
      ok: discrepancies.length === 0,
      stores,
      archive: { location: displayUrl(options.archive), events: index.sequence.length, ofOtherAgencies },
      discrepancies,
      ms: performance.now() - started,
    };
  } finally {
    await archive.close();
  }
}
