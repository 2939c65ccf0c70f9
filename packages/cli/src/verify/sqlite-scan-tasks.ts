// The scan of the SQLite path, run on worker threads: a range of one store's positions beside
// the archive's copy of each event (SQLite joins them by id). Each stored text is hashed and its
// chain links checked as far as the range allows (chain-links.ts), and the archived envelope is
// compared with it as text: an envelope that is the stored hashed form with its `hash` and
// `position` put in is proven by the store's hash, so archived copies are not hashed again.
// Whatever does not match so is left to the slower comparison (sqlite-verify.ts).
// The hash chain alone: a scan thread starts without loading every schema of the contracts.
import { idMemberAt, sha256Hex } from '@nrm/contracts/hash-chain';
import type { RecordedEvent } from '@nrm/contracts';
import type { DatabaseSync } from 'node:sqlite';
import { agencyOf, isEnvelopeOf } from './canonical-text-fields.ts';
import { RangeChecker, chainFieldsOf } from '@nrm/contracts/chain-links';
import type { RangeLinks } from '@nrm/contracts/chain-links';
import { MMAP_BYTES, openReadOnly } from './sqlite-read.ts';

const PAGE = 1_000;

/**
 * One connection per thread, on the archive, with the stores attached as they come: every
 * connection maps the files afresh, and faulting the pages in again per task cost more than the
 * reading. SQLite attaches at most ten files; beyond that a store gets a connection of its own.
 */
type Connection = { database: DatabaseSync; schemas: Map<string, string> };
const connections = new Map<string, Connection>();
const MAX_ATTACHED = 9;

function connectionOn(path: string): Connection {
  let connection = connections.get(path);
  if (!connection) {
    connection = { database: openReadOnly(path), schemas: new Map([[path, 'main']]) };
    connections.set(path, connection);
  }
  return connection;
}

function attach(connection: Connection, path: string): string {
  let schema = connection.schemas.get(path);
  if (schema === undefined) {
    schema = `file${connection.schemas.size}`;
    connection.database.prepare(`ATTACH DATABASE ? AS ${schema}`).run(path);
    connection.database.exec(`PRAGMA ${schema}.mmap_size = ${MMAP_BYTES}`);
    connection.schemas.set(path, schema);
  }
  return schema;
}

/** A connection reading both the store at `path` and the archive, and their schema names in it. */
function readerOf(path: string, archivePath: string): { database: DatabaseSync; store: string; archive: string } {
  let connection = connectionOn(archivePath);
  if (!connection.schemas.has(path) && connection.schemas.size > MAX_ATTACHED) connection = connectionOn(path);
  return { database: connection.database, store: attach(connection, path), archive: attach(connection, archivePath) };
}

export function closeConnections(): void {
  for (const { database } of connections.values()) database.close();
  connections.clear();
}

export type ScanProgress = (done: number) => void;

export type JoinScan = {
  positions: Float64Array;
  /** The archive sequence whose envelope matched the stored text; -1 where none did. */
  sequences: Float64Array;
  /** Positions whose stored text does not hash to its hash. */
  unhashed: number[];
  /** Positions of the first event of a stream (revision 0, as the columns say). */
  streamStarts: number[];
  agencies: string[];
  links: RangeLinks;
};

/** Pages through `sql` (whose first parameter is the key the next page starts after). */
function* pages<Row extends unknown[]>(database: DatabaseSync, sql: string, first: number, rest: readonly number[], progress: ScanProgress): Generator<Row[]> {
  const page = database.prepare(sql);
  page.setReturnArrays(true);
  let after = first;
  let done = 0;
  for (;;) {
    const rows = page.all(after, ...rest, PAGE) as unknown as Row[];
    yield rows;
    done += rows.length;
    if (rows.length < PAGE) return;
    after = rows[rows.length - 1]![0] as number;
    if (done % (PAGE * 20) === 0) progress(done);
  }
}

/** Positions `after < position <= to` of the store at `path`, beside the archive at `archivePath`. */
export function scanJoin(path: string, archivePath: string, after: number, to: number, progress: ScanProgress): JoinScan {
  const positions: number[] = [];
  const sequences: number[] = [];
  const unhashed: number[] = [];
  const streamStarts: number[] = [];
  const agencies: string[] = [];
  const links = new RangeChecker();
  const { database, store: schema, archive } = readerOf(path, archivePath);
  database.exec('BEGIN');
  try {
    const sql = `SELECT e.position, e.stream, e.revision, e.body, e.hash, a.sequence, a.envelope FROM ${schema}.events e LEFT JOIN ${archive}.audit_archive a ON a.id = e.id WHERE e.position > ? AND e.position <= ? ORDER BY e.position LIMIT ?`;
    for (const rows of pages<[number, string, number, string, string, number | null, string | null]>(database, sql, after, [to], progress)) {
      for (const [position, stream, revision, body, hash, sequence, envelope] of rows) {
        // Each stored text is hashed here, once.
        const hashHolds = sha256Hex(body) === hash;
        if (!hashHolds) unhashed.push(position);
        // Where the envelope's own members start, found once for the readers below.
        const idAt = idMemberAt(body);
        links.check({ position, stream, revision, hash, hashHolds, fields: chainFieldsOf(body, idAt) });
        if (revision === 0) streamStarts.push(position);
        const agency = agencyOf(body) ?? agencyParsed(body);
        if (agency !== null && !agencies.includes(agency)) agencies.push(agency);
        // A text that does not hash proves nothing: its copy is re-hashed later (sqlite-verify.ts).
        const same = envelope !== null && isEnvelopeOf(envelope, body, hash, position, idAt);
        positions.push(position);
        sequences.push(same ? sequence! : -1);
      }
    }
    return { positions: Float64Array.from(positions), sequences: Float64Array.from(sequences), unhashed, streamStarts, agencies, links: links.result() };
  } finally {
    database.exec('COMMIT');
  }
}

/** A text that is not laid out canonically; one that is not JSON has no agency (the chain scan reports it). */
function agencyParsed(body: string): string | null {
  try {
    return (JSON.parse(body) as RecordedEvent).agency;
  } catch {
    return null;
  }
}
