// Pipelined group commit for SQLite. The main thread plans a batch (duplicate and expected-
// revision rules, positions, hash links) and hands the rows to the writer thread, which writes
// and fsyncs them; meanwhile the main thread can already plan the next batch on top of the rows
// still in flight. Two things make that safe:
//   - an overlay of what is planned but not yet acknowledged (stream heads and event ids), read
//     before the database, so the next plan builds on the batch in flight;
//   - each write checks, in its own write transaction, that the log ends where its plan assumed
//     (sqlite-commit.ts). If not — another process wrote, or an earlier batch failed — the batch
//     is refused as a conflict; once everything in flight has come back, the overlay is dropped,
//     the tail re-read, and the refused appends are planned again.
// The same check lets the heads of streams this process committed be remembered once the overlay
// lets go of them: a writer keeps appending to the streams it just wrote, and a head remembered is
// a lookup saved (10% of the main thread with 64 writers). If anyone else wrote since, the tail
// check refuses the batch and the memory is dropped with the overlay.
// A small batch with nothing in flight is written on the main thread at once: a lone append does
// not pay for two thread hops, and its latency stays that of one fsync. So is every batch until
// the writer thread has started (tens of milliseconds after the store opens): a store opened
// under load does not hold its first appends until then.
import type { DatabaseSync } from 'node:sqlite';
import { Worker } from 'node:worker_threads';
import type { RecordedEvent } from '@nrm/contracts';
import { planBatch } from '../append-plan.ts';
import type { AppendOutcome, AppendRequest, StoredRow, StreamHead } from '../append-plan.ts';
import { WrongExpectedRevisionError } from '../errors.ts';
import { commitRows, prepareCommit, readTail } from './sqlite-commit.ts';
import type { CommitStatements, LogTail, RowValues } from './sqlite-commit.ts';
import type { WriterMessage, WriterReply, WriterRequest } from './sqlite-writer-worker.ts';

/** Batches up to this many rows go straight to disk when the writer thread is idle. */
const INLINE_MAX_ROWS = 4;
/**
 * A batch of at least twice this many events is handed to the writer thread in parts of this many
 * rows while the rest is still being planned, so a large import's inserts overlap with its hashing
 * instead of following it; a smaller batch goes whole, as before.
 */
const PART_ROWS = 256;
/**
 * A plan refused this many times in a row (another writer keeps getting there first) is given
 * up. Each retry first waits a little, longer each time and jittered, so two writers sharing
 * one file take turns instead of refusing each other in lockstep.
 */
const MAX_CONFLICT_RETRIES = 40;
/** Streams whose committed heads are remembered between batches (beyond it the memory starts over). */
const KNOWN_STREAMS = 10_000;

export class AppendConflictError extends Error {
  override readonly name = 'AppendConflictError';
}

export type AppendPipelineOptions = {
  database: DatabaseSync;
  /** The file the writer thread opens; null (':memory:') writes on the main thread only. */
  path: string | null;
  durability: 'full' | 'normal';
  /** The main connection rests at synchronous=NORMAL: events committed on it are raised to FULL. */
  relaxedMain?: boolean;
  /** The stored events among `ids` (idempotency): one query for a whole batch, not one per event. */
  lookupEvents: (ids: readonly string[]) => Map<string, RecordedEvent>;
  /** The last revision and hash of each of `streams` that exists: one query for a whole batch. */
  lookupHeads: (streams: readonly string[]) => Map<string, StreamHead>;
  /** Called after a batch with rows is durable, with those rows, in position order. */
  onCommitted: (rows: readonly StoredRow[]) => void;
};

type Overlay<T> = Map<string, { value: T; seq: number }>;

export class SqliteAppendPipeline {
  private readonly options: AppendPipelineOptions;
  private readonly statements: CommitStatements;
  private worker: Worker | null = null;
  /** The writer thread has opened its connection; until then batches are written on the main thread. */
  private writerReady = false;
  /**
   * Settles once the writer thread has started, or has failed to (the store then writes on the
   * main thread), or at once without one.
   */
  readonly writerStarted: Promise<void>;
  private markStarted: () => void = () => undefined;
  private tail: LogTail;
  private readonly plannedHeads: Overlay<StreamHead> = new Map();
  private readonly plannedEvents: Overlay<RecordedEvent> = new Map();
  /** Heads of streams as this process's last commits left them (valid while the tail check holds). */
  private readonly committedHeads = new Map<string, StreamHead>();
  private readonly awaitingAck = new Map<number, (reply: WriterReply) => void>();
  private idleWaiters: (() => void)[] = [];
  private recovering: Promise<void> | null = null;
  private nextSeq = 0;

  constructor(options: AppendPipelineOptions) {
    this.options = options;
    this.statements = prepareCommit(options.database);
    this.tail = readTail(this.statements);
    this.writerStarted = new Promise((resolve) => (this.markStarted = resolve));
    if (options.path !== null) this.startWriter(options.path);
    else this.markStarted();
  }

  /**
   * Whether batches are being written: the file may then hold rows whose commit this process has
   * not heard back about yet (they are durable, but not yet handed to `onCommitted`).
   */
  get writing(): boolean {
    return this.awaitingAck.size > 0;
  }

  /** Plans `requests` now, in call order, and resolves once their rows are durable. */
  async commit(requests: readonly AppendRequest[], attempt = 0): Promise<AppendOutcome[]> {
    while (this.recovering) await this.recovering;
    const seq = this.nextSeq++;
    const expectedTail = this.tail;
    const inFlight = this.awaitingAck.size > 0;
    const writer = this.writerReady ? this.worker : null;
    const parts = writer && requests.reduce((sum, request) => sum + request.events.length, 0) >= 2 * PART_ROWS ? this.partSender(seq, expectedTail) : null;
    let plan: ReturnType<SqliteAppendPipeline['plan']>;
    try {
      plan = this.plan(requests, seq, parts?.onRow);
    } catch (error) {
      // Planning failed (a payload that cannot be hashed) after parts were sent: drop them.
      if (parts) await parts.abandon();
      throw error;
    }
    // An append refused while it was being hashed takes back rows that may already have been sent.
    if (parts && !parts.keeps(plan.rows)) await parts.abandon();
    const sentInParts = parts?.finish() ?? null;
    if (plan.rows.length === 0 && !inFlight) return plan.outcomes;

    let reply: WriterReply;
    if (sentInParts) {
      reply = await sentInParts;
    } else if (writer && (inFlight || plan.rows.length > INLINE_MAX_ROWS)) {
      reply = await this.send({ seq, expectedTail, rows: plan.rows.map(rowValues) });
    } else {
      try {
        reply = { seq, status: this.commitHere(expectedTail, plan.rows) };
      } catch (error) {
        this.recover();
        throw error;
      }
    }

    if (reply.status === 'ok') {
      this.settle(seq, plan.rows);
      if (plan.rows.length > 0) this.options.onCommitted(plan.rows);
      return plan.outcomes;
    }
    this.recover();
    if (reply.status === 'error') throw Object.assign(new Error(`the SQLite writer failed: ${reply.message}`), reply.code ? { code: reply.code } : {});
    if (attempt >= MAX_CONFLICT_RETRIES) throw new AppendConflictError(`another writer kept appending to this SQLite file; gave up after ${attempt + 1} attempts`);
    await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(50, 2 ** attempt)));
    return this.commit(requests, attempt + 1);
  }

  /** Commits on the main thread's connection, with a durable commit when that connection rests relaxed. */
  private commitHere(expectedTail: LogTail, rows: readonly StoredRow[]): ReturnType<typeof commitRows> {
    const { database, relaxedMain } = this.options;
    if (!relaxedMain) return commitRows(database, this.statements, expectedTail, rows.map(rowValues));
    database.exec('PRAGMA synchronous = FULL');
    try {
      return commitRows(database, this.statements, expectedTail, rows.map(rowValues));
    } finally {
      database.exec('PRAGMA synchronous = NORMAL');
    }
  }

  /** Resolves when nothing is in flight; then closes the writer thread. */
  async close(): Promise<void> {
    await this.idle();
    const worker = this.worker;
    this.worker = null;
    if (!worker) return;
    // Held (ref) until it has exited, so a process that awaits close() does not end first.
    worker.ref();
    await new Promise<void>((resolve) => {
      worker.once('exit', () => resolve());
      worker.postMessage({ close: true } satisfies WriterRequest);
    });
  }

  /**
   * Sends a batch's rows to the writer thread in parts as they are planned: `finish` sends the
   * rest and answers the writer's reply (null if no part was sent: the batch goes as a whole);
   * `abandon` drops what was sent, after which the batch goes as a whole.
   */
  private partSender(seq: number, expectedTail: LogTail) {
    // Positions are dense: a row planned at or below one already planned means an append was
    // refused part way and its rows taken back (planBatch); what waits here of them is dropped,
    // and if any of them was sent the parts no longer hold.
    let pending: StoredRow[] = [];
    let sentUpTo = -1;
    let broken = false;
    let reply: Promise<WriterReply> | null = null;
    const post = (request: Extract<WriterRequest, { part: string }>) => this.worker!.postMessage(request);
    const takeBackFrom = (position: number) => {
      while (pending.length > 0 && pending[pending.length - 1]!.position >= position) pending.pop();
      if (sentUpTo >= 0 && position <= sentUpTo) broken = true;
    };
    return {
      onRow: (row: StoredRow) => {
        takeBackFrom(row.position);
        if (broken) return;
        pending.push(row);
        if (pending.length < PART_ROWS) return;
        const rows = pending.map(rowValues);
        if (reply) post({ seq, part: 'more', rows });
        else reply = this.send({ seq, part: 'first', expectedTail, rows });
        pending = [];
        sentUpTo = row.position;
      },
      /** Whether the parts sent are still the start of the finished plan (its last rows may have been taken back). */
      keeps: (rows: readonly StoredRow[]): boolean => {
        takeBackFrom(rows.length > 0 ? rows[rows.length - 1]!.position + 1 : Number.NEGATIVE_INFINITY);
        return !broken;
      },
      finish: (): Promise<WriterReply> | null => {
        if (reply) post({ seq, part: 'last', rows: pending.map(rowValues) });
        return reply;
      },
      abandon: async (): Promise<void> => {
        if (!reply) return;
        const sent = reply;
        reply = null;
        post({ seq, part: 'abort' });
        await sent;
      },
    };
  }

  private plan(requests: readonly AppendRequest[], seq: number, onRow?: (row: StoredRow) => void): { rows: StoredRow[]; outcomes: AppendOutcome[] } {
    const storedById = new Map<string, RecordedEvent>();
    const headByStream = new Map<string, StreamHead>();
    const unplanned: string[] = [];
    for (const request of requests) {
      for (const event of request.events) {
        const planned = this.plannedEvents.get(event.id)?.value;
        if (planned) storedById.set(event.id, planned);
        else unplanned.push(event.id);
      }
    }
    if (unplanned.length > 0) for (const [id, stored] of this.options.lookupEvents(unplanned)) storedById.set(id, stored);
    const unplannedStreams = new Set<string>();
    const remembered = new Set<string>();
    for (const request of requests) {
      const planned = this.plannedHeads.get(request.stream)?.value;
      const committed = planned ? undefined : this.committedHeads.get(request.stream);
      if (planned) headByStream.set(request.stream, planned);
      else if (committed) {
        headByStream.set(request.stream, committed);
        remembered.add(request.stream);
      } else unplannedStreams.add(request.stream);
    }
    if (unplannedStreams.size > 0) for (const [stream, head] of this.options.lookupHeads([...unplannedStreams])) headByStream.set(stream, head);
    const next = (this.tail?.position ?? -1) + 1;
    const now = new Date().toISOString();
    let plan = planBatch(requests, { storedById, headByStream }, next, now, onRow);
    if (remembered.size > 0 && plan.outcomes.some((outcome) => !outcome.ok && outcome.error instanceof WrongExpectedRevisionError)) {
      // A refusal is decided on what is stored, never on what is remembered: no commit will check
      // the tail for it. The remembered heads are looked up and the batch planned again (rows
      // already handed to `onRow` are taken back by position, as for any refusal).
      for (const stream of remembered) headByStream.delete(stream);
      for (const [stream, head] of this.options.lookupHeads([...remembered])) headByStream.set(stream, head);
      plan = planBatch(requests, { storedById, headByStream }, next, now, onRow);
    }
    const events = plan.events;
    plan.rows.forEach((row, index) => {
      this.plannedHeads.set(row.stream, { value: { revision: row.revision, hash: row.hash }, seq });
      this.plannedEvents.set(row.id, { value: events[index]!, seq });
    });
    const last = plan.rows[plan.rows.length - 1];
    if (last) this.tail = { position: last.position, id: last.id };
    return plan;
  }

  /** A batch is durable: the database now answers for its rows, unless a later plan overrode them. */
  private settle(seq: number, rows: readonly StoredRow[]): void {
    // Batches settle in the order they were planned, so the last row of a stream is its head.
    if (this.committedHeads.size + rows.length > KNOWN_STREAMS) this.committedHeads.clear();
    for (const row of rows) {
      this.committedHeads.set(row.stream, { revision: row.revision, hash: row.hash });
      if (this.plannedHeads.get(row.stream)?.seq === seq) this.plannedHeads.delete(row.stream);
      if (this.plannedEvents.get(row.id)?.seq === seq) this.plannedEvents.delete(row.id);
    }
  }

  /** After a refused or failed batch: wait for the rest in flight, then start again from disk. */
  private recover(): void {
    if (this.recovering) return;
    this.recovering = (async () => {
      await this.idle();
      this.plannedHeads.clear();
      this.plannedEvents.clear();
      this.committedHeads.clear();
      this.tail = readTail(this.statements);
      this.recovering = null;
    })();
  }

  private send(request: Extract<WriterRequest, { seq: number; rows: RowValues[] }>): Promise<WriterReply> {
    return new Promise((resolve) => {
      this.awaitingAck.set(request.seq, resolve);
      this.worker!.ref();
      this.worker!.postMessage(request);
    });
  }

  private receive(reply: WriterReply): void {
    const resolve = this.awaitingAck.get(reply.seq);
    if (!resolve) return;
    this.awaitingAck.delete(reply.seq);
    // An idle writer thread must not keep the process alive on its own.
    if (this.awaitingAck.size === 0) this.worker?.unref();
    resolve(reply);
    if (this.awaitingAck.size === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const wake of waiters) wake();
    }
  }

  private idle(): Promise<void> {
    if (this.awaitingAck.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private startWriter(path: string): void {
    const worker = new Worker(new URL('./sqlite-writer-worker.ts', import.meta.url), { workerData: { path, durability: this.options.durability } });
    worker.unref();
    this.worker = worker;
    worker.on('message', (message: WriterMessage) => {
      if ('ready' in message) {
        this.writerReady = true;
        this.markStarted();
      } else this.receive(message);
    });
    // If the writer thread dies, what it held is failed (and planned again or refused), and the
    // store carries on writing on the main thread.
    const fail = (message: string) => {
      if (this.worker === worker) this.worker = null;
      this.markStarted();
      for (const seq of [...this.awaitingAck.keys()]) this.receive({ seq, status: 'error', message });
    };
    worker.on('error', (error) => fail(error.message));
    worker.on('exit', (code) => fail(`the writer thread exited (code ${code})`));
  }
}

function rowValues(row: StoredRow): RowValues {
  return [row.position, row.id, row.stream, row.revision, row.type, row.agency, row.caseId, row.hashedText, row.hash];
}
