// The embedded default EventStore on node:sqlite (WAL, durable). Appends are group-committed:
// each batch is one transaction and one fsync, written by a writer thread while the main thread
// plans the next batch (sqlite-append-pipeline.ts). Live subscriptions are woken in-process
// after each commit and poll as a fallback, so another process writing the same file is seen too.
import { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { StatementSync } from 'node:sqlite';
import { ChainVerifier } from '@nrm/contracts';
import type { ChainVerification, NewEvent, RecordedEvent } from '@nrm/contracts';
import type { StreamHead } from '../append-plan.ts';
import { catchUpSubscription, wakeOnAppend } from '../catch-up-subscription.ts';
import { StoreClosedError } from '../errors.ts';
import { filterCondition } from '../filter-sql.ts';
import { GroupCommitter } from '../group-commit.ts';
import { pagedIterable } from '../paged-iterable.ts';
import { validateAppend } from '../new-event-validation.ts';
import type { AppendResult, EventStore, ExpectedRevision, ReadOptions, SubscribeOptions, Subscription } from '../port.ts';
import { SQLITE_MMAP_BYTES, SQLITE_SCHEMA, sqlitePragmas } from './schema.ts';
import { RecentRows } from './recent-rows.ts';
import type { LogRow } from './recent-rows.ts';
import { SqliteAppendPipeline } from './sqlite-append-pipeline.ts';
import { PARALLEL_VERIFY_MIN_EVENTS, verifyAllOnThreads } from './sqlite-parallel-verify.ts';
import { reserveWal } from './sqlite-wal-reserve.ts';
import { sqliteWriteTransaction } from './sqlite-write-transaction.ts';

export type SqliteEventStoreOptions = {
  /** File path, or ':memory:' for a throwaway store. */
  path: string;
  /** 'full' (default) fsyncs every commit; 'normal' may lose the last commits on power loss. */
  durability?: 'full' | 'normal';
  /** How often live subscriptions look for appends made by other processes. */
  pollIntervalMs?: number;
  /** Rows per page when reading the log. */
  pageSize?: number;
  /** From how many events verifyAll checks on threads (default 50,000; tests lower it). */
  parallelVerifyMinEvents?: number;
};

type Row = { position: number; stream: string; revision: number; body: string; hash: string };

function toRecorded(row: Row): RecordedEvent {
  const event = JSON.parse(row.body) as RecordedEvent;
  event.position = row.position;
  event.hash = row.hash;
  return event;
}

export function createSqliteEventStore(options: SqliteEventStoreOptions): EventStore & { readonly database: DatabaseSync; readonly writerStarted: Promise<void> } {
  if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
  const database = new DatabaseSync(options.path);
  const durability = options.durability ?? 'full';
  database.exec(sqlitePragmas(durability));
  database.exec(SQLITE_SCHEMA);
  // This connection is shared with what the services keep beside the log (vault keys, read
  // models, checkpoints, the audit archive), and those commits need no fsync of their own: each is
  // either rebuilt from the log or followed by the append that uses it, whose durable commit syncs
  // the one WAL file and with it every frame written before. Events committed on this connection
  // still get FULL (the pipeline raises it around them); the writer thread's connection stays FULL.
  const relaxedMain = durability === 'full' && options.path !== ':memory:';
  if (relaxedMain) database.exec('PRAGMA synchronous = NORMAL');
  // Only where commits fsync: the reserve makes them overwrite the WAL instead of growing it.
  if (relaxedMain) reserveWal(database, options.path);
  // Reads of the log (catch-up, rebuilds, readAll) take the file's pages where the OS keeps them
  // instead of one read call per page into a cold page cache: a first read of 50,000 events ran
  // at 78-89k events/s read page by page and 131-177k mapped (later passes, from the cache, alike).
  // Writes still go through the WAL; pages still in it are read from it as before. Mapped up to
  // 1 GiB only, a case history in a 1M-event archive (1.4 GB) read its rows past the map slower
  // than at 10k events (p99 ratio 2.11), hence the whole file.
  if (options.path !== ':memory:') database.exec(`PRAGMA mmap_size = ${SQLITE_MMAP_BYTES}`);
  const pageSize = options.pageSize ?? 5000;
  const pollIntervalMs = options.pollIntervalMs ?? 500;
  const appended = new EventEmitter();
  appended.setMaxListeners(0);
  let closed = false;
  let accepting = true;
  let closing: Promise<void> | null = null;
  const lifetime = new AbortController();

  const statements = {
    byId: database.prepare('SELECT position, stream, revision, body, hash FROM events WHERE id = ?'),
    // Many ids in one statement: a JSON array as the one parameter, each id found by the index.
    byIds: database.prepare('SELECT position, stream, revision, body, hash FROM events WHERE id IN (SELECT value FROM json_each(?))'),
    head: database.prepare('SELECT revision, hash FROM events WHERE stream = ? ORDER BY revision DESC LIMIT 1'),
    // Each stream's last row found through the (stream, revision) index, then read by position.
    heads: database.prepare(
      'SELECT e.stream, e.revision, e.hash FROM json_each(?) j JOIN events e ON e.position = (SELECT position FROM events WHERE stream = j.value ORDER BY revision DESC LIMIT 1)',
    ),
    maxPosition: database.prepare('SELECT COALESCE(MAX(position), -1) AS position FROM events'),
    readStream: database.prepare('SELECT position, stream, revision, body, hash FROM events WHERE stream = ? AND revision >= ? ORDER BY revision LIMIT ?'),
    loadCheckpoint: database.prepare('SELECT position FROM checkpoints WHERE name = ?'),
    saveCheckpoint: database.prepare('INSERT INTO checkpoints (name, position, updated_at) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at'),
    verifyPage: database.prepare('SELECT position, stream, revision, body, hash FROM events WHERE position > ? ORDER BY position LIMIT ?'),
    verifyStream: database.prepare('SELECT position, stream, revision, body, hash FROM events WHERE stream = ? ORDER BY revision'),
  };
  statements.verifyPage.setReturnArrays(true);
  statements.heads.setReturnArrays(true);
  const readPages = new Map<string, StatementSync>();
  const recent = new RecentRows();
  /** The last position whose commit this process has heard back about (at open: the file's). */
  let acknowledgedHead = (statements.maxPosition.get() as { position: number }).position;
  /**
   * The file's head as read in this turn of the event loop. A commit wakes every subscription of
   * every service in the process at once (14 in `nrm start`) and each asks for the head: one query
   * answers them all. Forgotten when the turn ends and when this process commits.
   */
  let headThisTurn: number | null = null;
  function subscribedHead(): number {
    if (headThisTurn === null) {
      headThisTurn = (statements.maxPosition.get() as { position: number }).position;
      setImmediate(() => (headThisTurn = null));
    }
    return headThisTurn;
  }

  function assertOpen(): void {
    if (closed) throw new StoreClosedError('sqlite');
  }

  const pipeline = new SqliteAppendPipeline({
    database,
    path: options.path === ':memory:' ? null : options.path,
    durability,
    relaxedMain,
    lookupEvents: (ids) => {
      const found = new Map<string, RecordedEvent>();
      if (ids.length === 1) {
        const row = statements.byId.get(ids[0]!) as Row | undefined;
        if (row) found.set(ids[0]!, toRecorded(row));
        return found;
      }
      for (const row of statements.byIds.all(JSON.stringify(ids)) as Row[]) {
        const event = toRecorded(row);
        found.set(event.id, event);
      }
      return found;
    },
    lookupHeads: (streams) => {
      const found = new Map<string, StreamHead>();
      if (streams.length === 1) {
        const head = statements.head.get(streams[0]!) as StreamHead | undefined;
        if (head) found.set(streams[0]!, { revision: head.revision, hash: head.hash });
        return found;
      }
      for (const [stream, revision, hash] of statements.heads.all(JSON.stringify(streams)) as unknown as [string, number, string][]) found.set(stream, { revision, hash });
      return found;
    },
    onCommitted: (rows) => {
      headThisTurn = null;
      acknowledgedHead = Math.max(acknowledgedHead, rows[rows.length - 1]!.position);
      recent.add(rows);
      appended.emit('append', rows[rows.length - 1]!.position);
    },
  });
  const committer = new GroupCommitter((requests) => pipeline.commit(requests), { maxInFlight: 2 });

  function readPageStatement(options: ReadOptions): { statement: StatementSync; params: (string | number)[] } {
    const condition = filterCondition(options.filter, () => '?', 0);
    const upTo = options.to === undefined ? '' : ' AND position <= ?';
    const sql = `SELECT position, body, hash FROM events WHERE position > ?${upTo}${condition.sql} ORDER BY position LIMIT ?`;
    let statement = readPages.get(sql);
    if (!statement) {
      statement = database.prepare(sql);
      statement.setReturnArrays(true);
      readPages.set(sql, statement);
    }
    return { statement, params: condition.params };
  }

  function readAll(readOptions: ReadOptions = {}): AsyncIterable<RecordedEvent> {
    const { statement, params } = readPageStatement(readOptions);
    return pagedIterable((after, limit) => {
      assertOpen();
      // Live subscribers read up to a head they saw: what this store just appended is in memory.
      if (readOptions.to !== undefined) {
        const held = recent.page(after, readOptions.to, limit, readOptions.filter);
        if (held) return held;
      }
      const bounds = readOptions.to === undefined ? [after] : [after, readOptions.to];
      return statement.all(...bounds, ...params, limit) as unknown as LogRow[];
    }, readOptions, pageSize);
  }

  const store = {
    name: 'sqlite',
    capabilities: { densePositions: true },
    database,
    /** Appends work at once; until this settles they are written on the main thread (sqlite-append-pipeline.ts). */
    writerStarted: pipeline.writerStarted,

    async append(stream: string, events: readonly NewEvent[], appendOptions: { expectedRevision?: ExpectedRevision } = {}): Promise<AppendResult> {
      assertOpen();
      if (!accepting) throw new StoreClosedError(store.name);
      const expectedRevision = appendOptions.expectedRevision ?? 'any';
      const valid = validateAppend(stream, events, expectedRevision);
      return committer.submit({ stream, events: valid, expectedRevision });
    },

    async readStream(stream: string, readOptions: { fromRevision?: number; limit?: number } = {}): Promise<RecordedEvent[]> {
      assertOpen();
      const rows = statements.readStream.all(stream, readOptions.fromRevision ?? 0, readOptions.limit ?? -1) as Row[];
      return rows.map(toRecorded);
    },

    readAll,

    async headPosition(): Promise<number> {
      assertOpen();
      return (statements.maxPosition.get() as { position: number }).position;
    },

    subscribe(subscribeOptions: SubscribeOptions = {}): Subscription {
      return catchUpSubscription(
        {
          readAll,
          lifetime: lifetime.signal,
          // While batches are in flight the file can be ahead of what this process was told is
          // durable; subscribers read up to the latter (from memory, recent-rows.ts) and are
          // woken again when the rest is acknowledged. Never ahead of the file, so other
          // processes' rows are still seen, at the latest by the next poll.
          headPosition: async () => {
            assertOpen();
            const head = subscribedHead();
            return pipeline.writing ? Math.min(head, acknowledgedHead) : head;
          },
          loadCheckpoint: (name) => store.loadCheckpoint(name),
          saveCheckpoint: (name, position) => store.saveCheckpoint(name, position),
          waitForAppend: wakeOnAppend(appended, () => pollIntervalMs),
        },
        subscribeOptions,
      );
    },

    async loadCheckpoint(name: string): Promise<number | undefined> {
      assertOpen();
      const row = statements.loadCheckpoint.get(name) as { position: number } | undefined;
      return row?.position;
    },

    async saveCheckpoint(name: string, position: number): Promise<void> {
      assertOpen();
      // Every consumer saves after each commit it caught up with: never sleep the thread for the lock.
      await sqliteWriteTransaction(database, () => statements.saveCheckpoint.run(name, position, new Date().toISOString()), { assertOpen });
    },

    async verifyStream(stream: string): Promise<ChainVerification> {
      assertOpen();
      const verifier = new ChainVerifier({ densePositions: false });
      for (const row of statements.verifyStream.iterate(stream) as Iterable<Row>) {
        if (!verifier.check({ position: row.position, stream: row.stream, revision: row.revision, hashedText: row.body, hash: row.hash })) break;
      }
      return verifier.result();
    },

    async verifyAll(verifyOptions: { onProgress?: (checked: number) => void } = {}): Promise<ChainVerification> {
      assertOpen();
      // A large file is checked in ranges on one thread per core (each opens it read-only).
      const head = await store.headPosition();
      if (options.path !== ':memory:' && head + 1 >= (options.parallelVerifyMinEvents ?? PARALLEL_VERIFY_MIN_EVENTS)) {
        const countBefore = database.prepare('SELECT COUNT(*) AS rows FROM events WHERE position < ?');
        return verifyAllOnThreads(options.path, head, (position) => (countBefore.get(position) as { rows: number }).rows, verifyOptions.onProgress);
      }
      const verifier = new ChainVerifier({ densePositions: true, firstPosition: 0 });
      let after = -1;
      let checked = 0;
      for (;;) {
        const rows = statements.verifyPage.all(after, 10_000) as unknown as [number, string, number, string, string][];
        for (const [position, stream, revision, hashedText, hash] of rows) {
          if (!verifier.check({ position, stream, revision, hashedText, hash })) return verifier.result();
        }
        checked += rows.length;
        verifyOptions.onProgress?.(checked);
        if (rows.length < 10_000) return verifier.result();
        after = rows[rows.length - 1]![0];
        // Yield between pages so a long verification does not starve the server it runs in.
        await new Promise((resolve) => setImmediate(resolve));
      }
    },

    async close(): Promise<void> {
      if (closing) return closing;
      // Refuse new appends first, so a busy writer cannot keep the drain from ever finishing.
      accepting = false;
      closing = (async () => {
        await committer.drain();
        await pipeline.close();
        closed = true;
        lifetime.abort();
        database.close();
      })();
      return closing;
    },
  };
  return store;
}
