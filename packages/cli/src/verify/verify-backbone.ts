// `nrm verify` without the terminal: re-checks every store's hash chains, the audit archive's own
// rows, and that each store and the archive agree event for event. Each check reports the first
// discrepancy of its kind with where it is (store, stream, revision, position, archive sequence,
// event id), and how many more of that kind it met.
//
// When every store and the archive are SQLite files (the embedded log, or a distributed one on
// SQLite), ranges of each store are read beside the archive on worker threads, the chains checked
// by range and stitched, and each text hashed once (sqlite-verify.ts). Otherwise (PostgreSQL)
// each store and the archive are read through their ports into flat arrays of ids, hashes and
// positions, and compared by id.
import { openEventStore } from '@nrm/eventstore';
import type { EventStore } from '@nrm/eventstore';
import type { ArchiveStore } from '@nrm/audit';
import { DiscrepancyLog } from './discrepancy-log.ts';
import { compareStore, findMissingFromStores, indexArchive } from './compare-scans.ts';
import type { EventLookup } from './compare-scans.ts';
import { scanArchiveThroughPort, scanStoreThroughPort, storedEventThroughPort } from './port-scan.ts';
import type { StoreScan } from './scan-collectors.ts';
import { sqliteStoreHead } from './sqlite-read.ts';
import { verifySqlite } from './sqlite-verify.ts';
import type { SqliteTarget } from './sqlite-verify.ts';
import { assertSqliteFileExists, displayUrl, openArchiveAt, sqliteFileOf } from './verify-targets.ts';
import { VerifyTargetError } from './verify-types.ts';
import type { BackboneVerification, VerifyBackboneOptions } from './verify-types.ts';

export type { BackboneVerification, Discrepancy, DiscrepancyKind, VerifyBackboneOptions, VerifyProgress } from './verify-types.ts';
export { VerifyTargetError } from './verify-types.ts';
export { displayUrl } from './verify-targets.ts';

type Progress = (step: string, done: number, total: number) => void;
type Verified = Omit<BackboneVerification, 'ok' | 'discrepancies' | 'ms'>;

function cannotOpen(url: string, error: Error): VerifyTargetError {
  return new VerifyTargetError(`cannot open the store ${displayUrl(url)}: ${error.message}`);
}

/** Every store a SQLite file (which must hold a log), or null. */
function sqliteStores(urls: readonly string[]): SqliteTarget[] | null {
  const paths = urls.map((url) => sqliteFileOf(url));
  if (paths.some((path) => path === null)) return null;
  return urls.map((url, at) => {
    const path = paths[at]!;
    try {
      sqliteStoreHead(path);
    } catch (error) {
      throw cannotOpen(url, error as Error);
    }
    return { shown: displayUrl(url), path };
  });
}

async function verifyThroughPorts(options: VerifyBackboneOptions, archive: ArchiveStore, found: DiscrepancyLog, embedded: boolean, progress: Progress): Promise<Verified> {
  const stores: { shown: string; port: EventStore }[] = [];
  try {
    for (const url of options.stores) stores.push({ shown: displayUrl(url), port: await openEventStore(url).catch((error: Error) => Promise.reject(cannotOpen(url, error))) });
    const archived: EventLookup = async (sequence) => (await archive.read({ from: sequence, limit: 1 }))[0]?.event;
    const index = await indexArchive([await scanArchiveThroughPort(archive, (done, total) => progress('archive', done, total))], found, archived);
    const scans: StoreScan[] = [];
    for (const [at, store] of stores.entries()) {
      const scan = await scanStoreThroughPort(store.port, store.shown, progress);
      found.addAll(scan.found);
      await compareStore(store.shown, at, scan, index, found, (position) => storedEventThroughPort(store.port, position));
      progress(`${store.shown} against the archive`, scan.events, scan.events);
      scans.push(scan);
    }
    const agenciesOf = scans.map((scan) => new Set(scan.agencies));
    const ofOtherAgencies = await findMissingFromStores(index, stores.map((store) => store.shown), agenciesOf, embedded, found, archived);
    return {
      stores: stores.map((store, at) => ({ url: store.shown, events: scans[at]!.events, streams: scans[at]!.streams })),
      archive: { location: displayUrl(options.archive), events: index.scan.sequences.length, ofOtherAgencies },
    };
  } finally {
    for (const store of stores) await store.port.close();
  }
}

export async function verifyBackbone(options: VerifyBackboneOptions): Promise<BackboneVerification> {
  const started = performance.now();
  const progress: Progress = (step, done, total) => options.onProgress?.({ step, done, total });
  for (const url of options.stores) assertSqliteFileExists(url, 'store');
  assertSqliteFileExists(options.archive, 'archive');
  const found = new DiscrepancyLog();
  const embedded = options.stores.length === 1 && options.stores[0] === options.archive;
  const archive = await openArchiveAt(options.archive).catch((error: Error) => {
    throw error instanceof VerifyTargetError ? error : new VerifyTargetError(`cannot open the archive at ${displayUrl(options.archive)}: ${error.message}`);
  });
  let verified: Verified;
  try {
    const archivePath = sqliteFileOf(options.archive, { postgresSchema: 'audit' });
    const stores = archivePath === null ? null : sqliteStores(options.stores);
    if (archivePath !== null && stores !== null) {
      const sqlite = await verifySqlite(stores, archivePath, found, embedded, progress);
      verified = { stores: sqlite.stores, archive: { location: displayUrl(options.archive), events: sqlite.archiveEvents, ofOtherAgencies: sqlite.ofOtherAgencies } };
    } else {
      verified = await verifyThroughPorts(options, archive, found, embedded, progress);
    }
  } finally {
    await archive.close();
  }
  const discrepancies = found.all();
  return { ok: discrepancies.length === 0, ...verified, discrepancies, ms: performance.now() - started };
}
