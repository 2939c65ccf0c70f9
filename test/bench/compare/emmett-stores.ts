// Emmett (event-driven-io) as a subject of the shared workloads: its SQLite store
// (@event-driven-io/emmett-sqlite, sqlite3 driver) and its PostgreSQL store
// (@event-driven-io/emmett-postgresql, pg through dumbo), each a fresh file or database per run.
//
// The packages are dependencies of the bench alone: test/bench/peers/install-peers.ts installs
// them into test/bench/peers, and this module loads them from there at run time (their ESM
// builds, through the resolved path), so nothing else in the repo needs them, not even the
// typecheck: the small local types below describe just what is used.
//
// How Emmett counts: a stream's version is its last stream position, positions start at 1, and
// 0n is "no stream" (PostgreSQLEventStoreDefaultStreamVersion / SQLiteEventStoreDefaultStreamVersion),
// i.e. exactly "how many events the stream holds", so `expected: n` becomes
// `expectedStreamVersion: BigInt(n)`, and 'any' becomes NO_CONCURRENCY_CHECK. Not
// STREAM_DOES_NOT_EXIST for 0: both stores turn that constant into "no check at all"
// (toExpectedVersion maps it to null), while 0n really checks (the stream row is INSERTed and a
// duplicate is a unique violation, which Emmett reports as a version conflict).
// A rejected append throws Emmett's ExpectedVersionConflictError (a ConcurrencyError, errorCode 412);
// each store bundles its own copy of the class, so the error is recognised by that code.
//
// Each event goes in as `{ type, data, metadata: { messageId } }`: both stores take a messageId
// given in the metadata as the stored message id, so Emmett stores our ids rather than its UUIDs.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { postgresTestUrl } from '@nrm/eventstore/testing';
import { PEERS_DIR } from '../peers/install-peers.ts';
import type { BenchEvent, BenchStore, BenchStoreFactory } from './bench-store.ts';

// ---- Local types: what the bench uses of Emmett's API ----

type EmmettEvent = { type: string; data: Record<string, unknown>; metadata: { messageId: string } };
type AppendOptions = { expectedStreamVersion: bigint | 'NO_CONCURRENCY_CHECK' };
type EmmettStore = {
  appendToStream(stream: string, events: EmmettEvent[], options: AppendOptions): Promise<{ nextExpectedStreamVersion: bigint }>;
  readStream(stream: string): Promise<{ currentStreamVersion: bigint; events: unknown[]; streamExists: boolean }>;
};
type MessagesBatch = { messages: { metadata: { globalPosition: bigint } }[]; currentGlobalPosition: bigint };

type SqliteConnection = {
  close(): void;
  query<T>(sql: string, values?: unknown[]): Promise<T[]>;
};
type EmmettSqliteModule = {
  getSQLiteEventStore(options: { fileName: string }): EmmettStore;
  sqliteConnection(options: { fileName: string }): SqliteConnection;
  readMessagesBatch(connection: SqliteConnection, options: { after: bigint; batchSize: number }): Promise<MessagesBatch>;
};

type DumboPool = { execute: unknown; close(): Promise<void> };
type EmmettPostgresModule = {
  getPostgreSQLEventStore(connectionString: string, options: { connectionOptions: { dumbo: DumboPool } }): EmmettStore & { close(): Promise<void> };
  readMessagesBatch(execute: unknown, options: { after: bigint; batchSize: number }): Promise<MessagesBatch>;
};
type DumboModule = {
  dumbo(options: { connectionString: string }): DumboPool;
  /** Ends dumbo's cached pg.Pool for the connection string; `force` ends it whatever its usage count. */
  endPool(options: { connectionString: string; force?: boolean }): Promise<void>;
  /** dumbo's cached pg.Pool for the connection string (made if there is none). */
  getPool(options: { connectionString: string }): { on(event: 'error', listener: (error: Error) => void): unknown };
};

// ---- Loading from test/bench/peers ----

type LoadedPackage<T> = { module: T; packageDir: string; name: string; version: string };

/** Resolves `name` as `fromDir` would and imports its ESM build. */
async function loadPeer<T>(name: string, fromDir: string): Promise<LoadedPackage<T>> {
  const require = createRequire(join(fromDir, 'package.json'));
  let packageDir = dirname(require.resolve(name));
  while (!existsSync(join(packageDir, 'package.json')) || (JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { name?: string }).name !== name) {
    const parent = dirname(packageDir);
    if (parent === packageDir) throw new Error(`cannot find the package.json of ${name} resolved from ${fromDir}`);
    packageDir = parent;
  }
  const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as {
    version: string;
    module?: string;
    exports?: { '.'?: { import?: { default?: string } } };
  };
  const entry = manifest.exports?.['.']?.import?.default ?? manifest.module;
  if (!entry) throw new Error(`${name} has no ESM entry point`);
  const loaded = (await import(pathToFileURL(join(packageDir, entry)).href)) as T;
  return { module: loaded, packageDir, name, version: manifest.version };
}

function installedVersion(name: string, fromDir: string): string {
  try {
    const require = createRequire(join(fromDir, 'package.json'));
    let dir = dirname(require.resolve(name));
    while (dirname(dir) !== dir) {
      const file = join(dir, 'package.json');
      if (existsSync(file)) {
        const manifest = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
        if (manifest.name === name) return `${name}@${manifest.version}`;
      }
      dir = dirname(dir);
    }
  } catch {
    // not installed yet: the bench installs the peers before it opens a store
  }
  return `${name} (not installed)`;
}

const SQLITE_PACKAGE_DIR = join(PEERS_DIR, 'emmett-sqlite');

let sqlitePeer: Promise<LoadedPackage<EmmettSqliteModule>> | undefined;
let postgresPeer: Promise<{ emmett: LoadedPackage<EmmettPostgresModule>; dumbo: LoadedPackage<DumboModule> }> | undefined;

function loadSqlitePeer(): Promise<LoadedPackage<EmmettSqliteModule>> {
  sqlitePeer ??= loadPeer<EmmettSqliteModule>('@event-driven-io/emmett-sqlite', SQLITE_PACKAGE_DIR);
  return sqlitePeer;
}

function loadPostgresPeer(): Promise<{ emmett: LoadedPackage<EmmettPostgresModule>; dumbo: LoadedPackage<DumboModule> }> {
  postgresPeer ??= (async () => {
    const emmett = await loadPeer<EmmettPostgresModule>('@event-driven-io/emmett-postgresql', PEERS_DIR);
    // The very dumbo instance emmett-postgresql imports (its pool cache is module state).
    const dumbo = await loadPeer<DumboModule>('@event-driven-io/dumbo', emmett.packageDir);
    return { emmett, dumbo };
  })();
  return postgresPeer;
}

// ---- Mapping ----

function toEmmettEvents(events: readonly BenchEvent[]): EmmettEvent[] {
  return events.map((event) => ({ type: event.type, data: event.data, metadata: { messageId: event.id } }));
}

function expectedStreamVersion(expected: number | 'any'): AppendOptions['expectedStreamVersion'] {
  return expected === 'any' ? 'NO_CONCURRENCY_CHECK' : BigInt(expected);
}

/** Emmett's ExpectedVersionConflictError, recognised across the bundled copies of the class. */
function isVersionConflict(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'errorCode' in error && (error as { errorCode: unknown }).errorCode === 412;
}

/**
 * Batch size of the global-log reads: Emmett's consumers read the log with readMessagesBatch in
 * batches of DefaultSQLiteEventStoreProcessorBatchSize / DefaultPostgreSQLEventStoreProcessorBatchSize
 * (100) unless configured otherwise. The bench gives Emmett 1,000, the fastest of 100, 1,000 and
 * 5,000 in a trial on both stores (10,000 events: SQLite 56k / 198k / 53k events/s, PostgreSQL
 * 3.6k / 23.9k / 18.1k), so the comparison is with Emmett at its best, not at its default.
 */
export const EMMETT_READ_ALL_BATCH = 1_000;

/** Reads the whole global log the way Emmett's message batch puller does, without its polling sleeps. */
async function readWholeLog(readBatch: (after: bigint) => Promise<MessagesBatch>): Promise<number> {
  let count = 0;
  let after = 0n;
  for (;;) {
    const batch = await readBatch(after);
    count += batch.messages.length;
    if (batch.messages.length < EMMETT_READ_ALL_BATCH) return count;
    after = batch.messages.at(-1)!.metadata.globalPosition;
  }
}

// ---- SQLite ----

/** A queue: Emmett's SQLite store cannot take concurrent calls (see emmettSqlite). */
function serialised(): <T>(work: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(work: () => Promise<T>): Promise<T> => {
    const result = tail.then(work);
    tail = result.catch(() => undefined);
    return result;
  };
}

/**
 * In a healthy run a stream sees at most one conflict per competing writer between two successful
 * appends (50 in the one-stream workload); this many in a row means the stream can no longer be
 * appended to, and the adapter says why instead of letting the workload spin forever.
 */
const STUCK_AFTER_CONFLICTS = 1_000;

/**
 * SQLITE_BUSY "cannot commit transaction - SQL statements in progress": Emmett 0.38.5 runs its
 * INSERT/UPDATE … RETURNING through sqlite3's Database#get, whose statement finalize is queued
 * behind the callback, so (as far as we can tell) the COMMIT that follows sometimes finds the
 * statement still active: about 1 append in 300, even one call at a time. Emmett then rolls the transaction back and
 * rethrows; nothing was written, so the adapter tries again (up to BUSY_ATTEMPTS times) and counts it.
 */
const BUSY_ATTEMPTS = 5;
export const emmettSqliteStats = { busyRetries: 0 };

function isSqliteBusy(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && (error as { code: unknown }).code === 'SQLITE_BUSY';
}

/**
 * Emmett's SQLite store, used as it ships: getSQLiteEventStore({ fileName }) on a new file.
 *
 * Durability as Emmett ships it: sqliteConnection() runs `PRAGMA journal_mode = WAL` and sets no
 * `synchronous`, so SQLite's default applies (FULL, 2, with the sqlite3 5.1.7 build: checked by
 * the smoke script through Emmett's own connection), i.e. every commit syncs the WAL: durable.
 * Each call opens a new sqlite3 connection for the call and closes it afterwards (for a file
 * database), and appends run in BEGIN IMMEDIATE transactions.
 *
 * Concurrency: calls are queued one at a time through this adapter. Emmett 0.38.5's store keeps
 * one `database` handle plus a transaction-nesting counter for whatever calls are in flight and
 * closes the handle when the first of them finishes, so concurrent calls on one store share (and
 * close) each other's connection and transaction (tried without the queue: 64 concurrent writers
 * got 63 appends through, then SQLITE_MISUSE "database is closed" errors and calls that never
 * settled). The workloads' writers therefore still run
 * concurrently, but reach the store in turn, as with a single-connection store.
 *
 * readAll: Emmett has no public "read all" on the store; its consumers read the global log with
 * readMessagesBatch(connection, { after, batchSize }) on a sqliteConnection, and so does this
 * adapter (a connection of Emmett's opened on the same file for the read and closed after).
 */
export const emmettSqlite: BenchStoreFactory = {
  subject: 'emmett',
  engine: 'sqlite',
  // A getter: read when asked, so it names what install-peers.ts installed after this module loaded.
  get version() {
    return `${installedVersion('@event-driven-io/emmett-sqlite', SQLITE_PACKAGE_DIR)} + ${installedVersion('sqlite3', SQLITE_PACKAGE_DIR)} (WAL, synchronous left at SQLite's default FULL; calls queued, SQLITE_BUSY commits retried)`;
  },
  async open() {
    const { module: emmett } = await loadSqlitePeer();
    const dir = mkdtempSync(join(tmpdir(), 'emmett-compare-'));
    const fileName = join(dir, 'events.db');
    const store = emmett.getSQLiteEventStore({ fileName });
    const queue = serialised();
    const conflictsInARow = new Map<string, number>();

    const withOwnConnection = async <T>(work: (connection: SqliteConnection) => Promise<T>): Promise<T> => {
      const connection = emmett.sqliteConnection({ fileName });
      try {
        return await work(connection);
      } finally {
        connection.close();
      }
    };

    /** Why a stream keeps rejecting appends, from Emmett's own tables. */
    const diagnose = (stream: string): Promise<string> =>
      withOwnConnection(async (connection) => {
        const [row] = await connection.query<{ stream_position: number }>('SELECT stream_position FROM emt_streams WHERE stream_id = ?', [stream]);
        const [held] = await connection.query<{ n: number }>('SELECT COUNT(*) AS n FROM emt_messages WHERE stream_id = ?', [stream]);
        return (
          `Emmett SQLite: stream ${stream} rejected ${STUCK_AFTER_CONFLICTS} appends in a row; emt_streams says position ${row?.stream_position} ` +
          `but it holds ${held?.n} events: a rejected append's UPDATE of the stream position was committed (appendToStream returns ` +
          `{ success: false } inside withTransaction, which commits), so no expected version can match again`
        );
      });

    // The workloads' writers are not cancelled when one of them fails (Promise.all): once the
    // store is closed and its file gone, their calls must not reach Emmett, whose sqlite3
    // Database would emit an unhandled 'error' event (SQLITE_CANTOPEN) and end the process.
    let closed = false;
    const inQueue = <T>(work: () => Promise<T>): Promise<T> => (closed ? Promise.reject(new Error('Emmett SQLite bench store is closed')) : queue(work));

    const appendOnce = async (stream: string, events: readonly BenchEvent[], expected: number | 'any'): Promise<'ok' | 'conflict'> => {
      try {
        await store.appendToStream(stream, toEmmettEvents(events), { expectedStreamVersion: expectedStreamVersion(expected) });
        conflictsInARow.delete(stream);
        return 'ok';
      } catch (error) {
        // An expected version > 0 on a stream that does not exist: the UPDATE finds no row and
        // Emmett throws a plain Error (no ConcurrencyError); it is a conflict all the same.
        const missingStream = error instanceof Error && error.message === 'Could not find stream position';
        if (!isVersionConflict(error) && !missingStream) throw error;
        const conflicts = (conflictsInARow.get(stream) ?? 0) + 1;
        conflictsInARow.set(stream, conflicts);
        if (conflicts >= STUCK_AFTER_CONFLICTS) throw new Error(await diagnose(stream), { cause: error });
        return 'conflict';
      }
    };

    const benchStore: BenchStore = {
      subject: 'emmett',
      engine: 'sqlite',
      append: (stream, events, expected) =>
        inQueue(async () => {
          for (let attempt = 1; ; attempt++) {
            try {
              return await appendOnce(stream, events, expected);
            } catch (error) {
              if (!isSqliteBusy(error) || attempt >= BUSY_ATTEMPTS) throw error;
              emmettSqliteStats.busyRetries++;
            }
          }
        }),
      readStream: (stream) => inQueue(async () => (await store.readStream(stream)).events.length),
      readAll: () =>
        inQueue(() => withOwnConnection((connection) => readWholeLog((after) => emmett.readMessagesBatch(connection, { after, batchSize: EMMETT_READ_ALL_BATCH })))),
      async close() {
        // Every call closed its connection; wait for the queue to drain, then drop the file.
        closed = true;
        await queue(async () => undefined);
        rmSync(dir, { recursive: true, force: true });
      },
    };
    return benchStore;
  },
};

/**
 * SQLite's settings as Emmett ships them (for the report): `synchronous` through a connection of
 * Emmett's (it is per connection and Emmett leaves it alone), `journal_mode` from the file after
 * one append through Emmett's store (WAL is recorded in the file; reading it on Emmett's own
 * connection could race its unawaited `PRAGMA journal_mode = WAL`).
 */
export async function emmettSqliteSettings(): Promise<{ journalMode: string; synchronous: number }> {
  const { module: emmett } = await loadSqlitePeer();
  const { DatabaseSync } = await import('node:sqlite');
  const dir = mkdtempSync(join(tmpdir(), 'emmett-settings-'));
  try {
    const fileName = join(dir, 'events.db');
    await emmett.getSQLiteEventStore({ fileName }).appendToStream('settings-1', toEmmettEvents([{ id: 'settings', type: 'Probe', data: {} }]), { expectedStreamVersion: 0n });
    const connection = emmett.sqliteConnection({ fileName });
    let synchronous: number;
    try {
      const [row] = await connection.query<{ synchronous: number }>('PRAGMA synchronous');
      synchronous = row?.synchronous ?? -1;
    } finally {
      connection.close();
    }
    const file = new DatabaseSync(fileName);
    try {
      const row = file.prepare('PRAGMA journal_mode').get() as { journal_mode?: string } | undefined;
      return { journalMode: row?.journal_mode ?? '?', synchronous };
    } finally {
      file.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---- PostgreSQL ----

let databases = 0;

function databaseUrl(database: string): string {
  const url = new URL(postgresTestUrl());
  url.pathname = `/${database}`;
  return url.toString();
}

async function withAdminClient<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: postgresTestUrl() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * Emmett's PostgreSQL store, used as it ships: getPostgreSQLEventStore(connectionString) with its
 * default pool (dumbo over pg.Pool, pg's default of 10 connections) and automatic schema migration.
 * Emmett creates its tables in the connection's default schema and has no schema option, so each
 * run gets a fresh database (CREATE DATABASE, dropped in close()).
 *
 * readAll: no public "read all" on the store; its consumers read the global log with
 * readMessagesBatch(pool.execute, { after, batchSize }) (ordered by transaction id and global
 * position, up to the oldest running transaction), and so does this adapter, on the store's own
 * pool: the dumbo pool is created here and handed to the store as connectionOptions.dumbo.
 */
export const emmettPostgres: BenchStoreFactory = {
  subject: 'emmett',
  engine: 'postgresql',
  get version() {
    return `${installedVersion('@event-driven-io/emmett-postgresql', PEERS_DIR)} + ${installedVersion('@event-driven-io/pongo', PEERS_DIR)} + ${installedVersion('@event-driven-io/dumbo', PEERS_DIR)} + ${installedVersion('pg', PEERS_DIR)}`;
  },
  async open() {
    const { emmett, dumbo } = await loadPostgresPeer();
    const database = `bench_emmett_${process.pid}_${databases++}`;
    await withAdminClient((client) => client.query(`CREATE DATABASE ${database}`));
    const connectionString = databaseUrl(database);
    const pool = dumbo.module.dumbo({ connectionString });
    const store = emmett.module.getPostgreSQLEventStore(connectionString, { connectionOptions: { dumbo: pool } });

    const benchStore: BenchStore = {
      subject: 'emmett',
      engine: 'postgresql',
      async append(stream, events, expected) {
        try {
          await store.appendToStream(stream, toEmmettEvents(events), { expectedStreamVersion: expectedStreamVersion(expected) });
          return 'ok';
        } catch (error) {
          if (isVersionConflict(error)) return 'conflict';
          throw error;
        }
      },
      async readStream(stream) {
        return (await store.readStream(stream)).events.length;
      },
      readAll: () => readWholeLog((after) => emmett.module.readMessagesBatch(pool.execute, { after, batchSize: EMMETT_READ_ALL_BATCH })),
      async close() {
        await store.close();
        // The pool was handed in, so the store leaves it open: closed here, or the forced DROP
        // below would end its idle connections under it (an unhandled pool error ends the process).
        // dumbo caches pg pools by connection string and counts their users; a count left above
        // zero keeps the pool open after close(), so it is ended by force as well.
        await pool.close().catch(() => undefined);
        // A connection that Emmett still holds would be ended by the forced DROP below; the
        // pool's error event for it must not end the bench.
        dumbo.module.getPool({ connectionString }).on('error', () => undefined);
        await dumbo.module.endPool({ connectionString, force: true }).catch(() => undefined);
        await withAdminClient(async (client) => {
          // Politely first (the pool's connections may still be closing), by force at last.
          for (let attempt = 0; attempt < 20; attempt++) {
            if (await client.query(`DROP DATABASE IF EXISTS ${database}`).then(() => true, () => false)) return;
            await new Promise((resolve) => setTimeout(resolve, 100));
          }
          await client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
        });
      },
    };
    return benchStore;
  },
};
