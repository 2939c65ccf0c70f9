// The PostgreSQL EventStore (pg). Appends are group-committed like SQLite's: one transaction
// per batch. On top of what this process last wrote, a batch is one statement (one round trip);
// otherwise it is locked, looked up and written in a handful of set-based statements.
// Live subscriptions LISTEN for the NOTIFY each commit sends, and poll as a fallback while the
// listening connection is down.
import { EventEmitter } from 'node:events';
import pg from 'pg';
import { ChainVerifier } from '@nrm/contracts';
import type { ChainVerification, NewEvent, RecordedEvent } from '@nrm/contracts';
import { planBatch } from '../append-plan.ts';
import type { AppendOutcome, AppendRequest, StoredRow, StreamHead } from '../append-plan.ts';
import { catchUpSubscription, wakeOnAppend } from '../catch-up-subscription.ts';
import { InvalidAppendError, StoreClosedError } from '../errors.ts';
import { filterCondition } from '../filter-sql.ts';
import { GroupCommitter } from '../group-commit.ts';
import { validateAppend } from '../new-event-validation.ts';
import { pagedIterable } from '../paged-iterable.ts';
import type { AppendResult, EventStore, ExpectedRevision, ReadOptions, SubscribeOptions, Subscription } from '../port.ts';
import { SCHEMA_NAME, postgresSchema } from './schema.ts';

export type PostgresEventStoreOptions = {
  connectionString: string;
  /** The PostgreSQL schema holding this store's tables (one per service in distributed mode). */
  schema?: string;
  pollIntervalMs?: number;
  pageSize?: number;
  poolSize?: number;
};

type LogRow = [string, string, string];

/** Streams whose heads are remembered between batches (beyond it the memory starts over). */
const KNOWN_STREAMS = 10_000;

/**
 * Separates the stored texts of a batch in one parameter. Canonical JSON never holds it: JSON escapes
 * every control character inside strings (\u001e) and has none outside them.
 */
const TEXT_SEPARATOR = '\x1e';

/** The columns before the stored texts, in insert order. */
type Columns = [number[], string[], string[], number[], string[], string[], (string | null)[]];

/**
 * A batch's rows as the columns the inserts unnest, in column order: arrays, except the stored texts,
 * joined into one text the server splits. pg writes an array parameter element by element, escaping
 * each (two regular-expression replaces over every ~1 KB text: 17% of a bulk import's process), while
 * a plain text parameter goes out as it is.
 */
function rowColumns(rows: readonly StoredRow[]): [...Columns, string, string[]] {
  const columns: [...Columns, string[], string[]] = [[], [], [], [], [], [], [], [], []];
  for (const row of rows) {
    columns[0].push(row.position);
    columns[1].push(row.id);
    columns[2].push(row.stream);
    columns[3].push(row.revision);
    columns[4].push(row.type);
    columns[5].push(row.agency);
    columns[6].push(row.caseId);
    if (row.hashedText.includes(TEXT_SEPARATOR)) throw new InvalidAppendError(`the stored text of event ${row.id} is not canonical JSON`);
    columns[7].push(row.hashedText);
    columns[8].push(row.hash);
  }
  return [columns[0], columns[1], columns[2], columns[3], columns[4], columns[5], columns[6], columns[7].join(TEXT_SEPARATOR), columns[8]];
}

export async function createPostgresEventStore(options: PostgresEventStoreOptions): Promise<EventStore & { readonly pool: pg.Pool; readonly schema: string }> {
  const schema = options.schema ?? 'nrm';
  if (!SCHEMA_NAME.test(schema)) throw new InvalidAppendError(`invalid PostgreSQL schema name ${JSON.stringify(schema)}`);
  const pool = new pg.Pool({ connectionString: options.connectionString, max: options.poolSize ?? 8 });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  const channel = `nrm_events_${schema}`;
  const pageSize = options.pageSize ?? 2000;
  const pollIntervalMs = options.pollIntervalMs ?? 1000;
  const appended = new EventEmitter();
  appended.setMaxListeners(0);
  const lifetime = new AbortController();
  let closed = false;
  let accepting = true;
  let closing: Promise<void> | null = null;

  const setup = await pool.connect();
  try {
    await setup.query('BEGIN');
    // Serialises concurrent first starts: CREATE … IF NOT EXISTS alone races on the catalog.
    await setup.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`nrm-schema-${schema}`]);
    await setup.query(postgresSchema(schema));
    await setup.query('COMMIT');
  } catch (error) {
    await setup.query('ROLLBACK').catch(() => undefined);
    setup.release();
    await pool.end();
    throw error;
  }
  setup.release();

  let listener: pg.Client | null = null;
  async function listen(): Promise<void> {
    if (closed) return;
    const client = new pg.Client({ connectionString: options.connectionString });
    client.on('notification', (message) => appended.emit('append', Number(message.payload)));
    client.on('error', () => {
      listener = null;
      client.end().catch(() => undefined);
      if (!closed) setTimeout(() => void listen().catch(() => undefined), 1000).unref();
    });
    await client.connect();
    await client.query(`LISTEN ${channel}`);
    listener = client;
  }
  await listen();

  function assertOpen(): void {
    if (closed) throw new StoreClosedError('postgres');
  }

  // What this process saw of the log the last time it wrote: its tail and the heads of the streams
  // it wrote or looked up, exact as of that tail. A batch on top of it is planned here and written
  // in one statement (one round trip) that checks, under the head lock, that the tail is still
  // that one (so nothing was appended since, by anyone). What else the plan assumed, the table's
  // unique indexes hold it to: none of the ids is stored (id), and a stream it did not know is
  // new (its revision 0 is free; revisions are dense from 0). If the tail moved nothing is
  // written; if an index refuses a row the statement fails whole; either way the batch goes the
  // careful way.
  let known: { tail: number; heads: Map<string, StreamHead> } | null = null;

  function remember(previous: typeof known, lockedTail: number, tail: number, heads: ReadonlyMap<string, StreamHead>): void {
    known = { tail, heads: previous && previous.tail === lockedTail && previous.heads.size < KNOWN_STREAMS ? previous.heads : new Map() };
    for (const [stream, head] of heads) known.heads.set(stream, head);
  }

  /**
   * The rows ($1–$9, column arrays but $8, the stored texts joined), the new head ($10, if all $11 rows went in) and the wake-up
   * for live subscriptions ($12), as CTEs `written` and `moved`; `guard` may hold the rows back.
   */
  const writeRows = (guard = '') => `written AS (
      INSERT INTO ${schema}.events (position, id, stream, revision, type, agency, case_id, body, hash)
      SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::int[], $5::text[], $6::text[], $7::text[], string_to_array($8::text, E'\\x1e'), $9::text[])
      ${guard}
      RETURNING 1
    ), moved AS (
      UPDATE ${schema}.head SET position = $10 WHERE (SELECT count(*) FROM written) = $11 RETURNING position
    )`;

  // Both are prepared once per connection (named): parsing and planning a statement of this size
  // cost as much as running it (one-row appends from one client: 1,600/s sent as text, 2,900/s
  // prepared). Neither reads the events table, so the plan PostgreSQL keeps for them cannot turn
  // into a scan as the table grows (a check of stored ids inside it would: its generic plan is
  // chosen while the table is still small).
  const lockedWrite = { name: `nrm_locked_write_${schema}`, text: `WITH ${writeRows()} SELECT pg_notify($12, position::text) FROM moved` };

  const fastWrite = {
    name: `nrm_fast_write_${schema}`,
    text: `
    WITH locked AS MATERIALIZED (
      SELECT position = $13::bigint AS ok FROM ${schema}.head FOR UPDATE
    ), ${writeRows('WHERE (SELECT ok FROM locked)')}
    SELECT (SELECT ok FROM locked) AS ok, (SELECT pg_notify($12, position::text) FROM moved) AS notified`,
  };

  /** The batch in one round trip on top of what this process knows; null when it must go the careful way. */
  async function commitKnown(requests: readonly AppendRequest[]): Promise<AppendOutcome[] | null> {
    const basis = known;
    if (!basis) return null;
    const plan = planBatch(requests, { storedById: new Map(), headByStream: basis.heads }, basis.tail + 1, new Date().toISOString());
    // A refusal (or nothing to write) is only ever decided on what is stored, never on what is remembered.
    if (plan.rows.length === 0 || plan.outcomes.some((outcome) => !outcome.ok)) return null;
    const columns = rowColumns(plan.rows);
    const last = plan.rows[plan.rows.length - 1]!.position;
    let ok: boolean;
    try {
      const result = await pool.query<{ ok: boolean }>({ ...fastWrite, values: [...columns, last, plan.rows.length, channel, basis.tail] });
      ok = result.rows[0]!.ok;
    } catch (error) {
      known = null;
      // A unique index refused a row: an id already stored, or a stream not known here that exists.
      if ((error as { code?: string }).code === '23505') return null;
      throw error;
    }
    if (!ok) {
      known = null;
      return null;
    }
    basis.tail = last;
    // Forgetting heads is always safe (a stream not remembered is held to be new, or looked up).
    if (basis.heads.size >= KNOWN_STREAMS) basis.heads.clear();
    for (const row of plan.rows) basis.heads.set(row.stream, { revision: row.revision, hash: row.hash });
    appended.emit('append', last);
    return plan.outcomes;
  }

  async function commitBatch(requests: readonly AppendRequest[]): Promise<AppendOutcome[]> {
    return (await commitKnown(requests)) ?? commitLocked(requests);
  }

  /** The careful way: lock, look everything up, plan on what is stored, write; four round trips. */
  async function commitLocked(requests: readonly AppendRequest[]): Promise<AppendOutcome[]> {
    // Forgotten until this batch is written: a failure leaves nothing to build on.
    const previous = known;
    known = null;
    const client = await pool.connect();
    try {
      // Round trips are most of an append's cost on a local server: four per batch (begin and
      // lock, look up, write, commit), each statement doing as much as it can.
      const [, head] = (await client.query(`BEGIN; SELECT position FROM ${schema}.head FOR UPDATE`)) as unknown as [unknown, { rows: { position: string }[] }];
      const ids = requests.flatMap((request) => request.events.map((event) => event.id));
      const streams = [...new Set(requests.map((request) => request.stream))];
      // The stored copies of the ids (idempotency) and the streams' heads, in one answer.
      const found = await client.query<{ kind: 'stored' | 'head'; position: string | null; stream: string | null; revision: number | null; body: string | null; hash: string }>(
        `SELECT 'stored' AS kind, position, NULL AS stream, NULL::int AS revision, body, hash FROM ${schema}.events WHERE id = ANY($1::text[])
         UNION ALL
         SELECT * FROM (SELECT DISTINCT ON (stream) 'head' AS kind, NULL::bigint AS position, stream, revision, NULL AS body, hash FROM ${schema}.events WHERE stream = ANY($2::text[]) ORDER BY stream, revision DESC) AS heads`,
        [ids, streams],
      );
      const storedById = new Map<string, RecordedEvent>();
      const headByStream = new Map<string, StreamHead>();
      for (const row of found.rows) {
        if (row.kind === 'head') {
          headByStream.set(row.stream!, { revision: row.revision!, hash: row.hash });
          continue;
        }
        const event = JSON.parse(row.body!) as RecordedEvent;
        event.position = Number(row.position);
        event.hash = row.hash;
        storedById.set(event.id, event);
      }
      const plan = planBatch(requests, { storedById, headByStream }, Number(head.rows[0]!.position) + 1, new Date().toISOString());
      if (plan.rows.length > 0) {
        const columns = rowColumns(plan.rows);
        const last = plan.rows[plan.rows.length - 1]!.position;
        // The rows, the new head and the wake-up for live subscriptions, in one statement.
        await client.query({ ...lockedWrite, values: [...columns, last, plan.rows.length, channel] });
      }
      await client.query('COMMIT');
      const lockedTail = Number(head.rows[0]!.position);
      for (const row of plan.rows) headByStream.set(row.stream, { revision: row.revision, hash: row.hash });
      remember(previous, lockedTail, plan.rows.length > 0 ? plan.rows[plan.rows.length - 1]!.position : lockedTail, headByStream);
      if (plan.rows.length > 0) appended.emit('append', plan.rows[plan.rows.length - 1]!.position);
      return plan.outcomes;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  const committer = new GroupCommitter(commitBatch);

  function readAll(readOptions: ReadOptions = {}): AsyncIterable<RecordedEvent> {
    const upTo = readOptions.to === undefined ? '' : ' AND position <= $3';
    const firstFilterParam = readOptions.to === undefined ? 3 : 4;
    const condition = filterCondition(readOptions.filter, (index) => `$${index}`, firstFilterParam);
    const text = `SELECT position, body, hash FROM ${schema}.events WHERE position > $1${upTo}${condition.sql} ORDER BY position LIMIT $2`;
    return pagedIterable(
      async (after, limit) => {
        assertOpen();
        const values: unknown[] = [after, limit];
        if (readOptions.to !== undefined) values.push(readOptions.to);
        values.push(...condition.params);
        const result = await pool.query<LogRow>({ text, values, rowMode: 'array' });
        return result.rows.map((row) => [Number(row[0]), row[1], row[2]] as [number, string, string]);
      },
      readOptions,
      pageSize,
    );
  }

  const store = {
    name: 'postgres',
    capabilities: { densePositions: true },
    pool,
    schema,

    async append(stream: string, events: readonly NewEvent[], appendOptions: { expectedRevision?: ExpectedRevision } = {}): Promise<AppendResult> {
      assertOpen();
      if (!accepting) throw new StoreClosedError(store.name);
      const expectedRevision = appendOptions.expectedRevision ?? 'any';
      const valid = validateAppend(stream, events, expectedRevision);
      return committer.submit({ stream, events: valid, expectedRevision });
    },

    async readStream(stream: string, readOptions: { fromRevision?: number; limit?: number } = {}): Promise<RecordedEvent[]> {
      assertOpen();
      const result = await pool.query<{ position: string; body: string; hash: string }>(
        `SELECT position, body, hash FROM ${schema}.events WHERE stream = $1 AND revision >= $2 ORDER BY revision LIMIT $3`,
        [stream, readOptions.fromRevision ?? 0, readOptions.limit ?? null],
      );
      return result.rows.map((row) => {
        const event = JSON.parse(row.body) as RecordedEvent;
        event.position = Number(row.position);
        event.hash = row.hash;
        return event;
      });
    },

    readAll,

    async headPosition(): Promise<number> {
      assertOpen();
      const result = await pool.query<{ position: string }>(`SELECT position FROM ${schema}.head`);
      return Number(result.rows[0]!.position);
    },

    subscribe(subscribeOptions: SubscribeOptions = {}): Subscription {
      return catchUpSubscription(
        {
          readAll,
          lifetime: lifetime.signal,
          headPosition: () => store.headPosition(),
          loadCheckpoint: (name) => store.loadCheckpoint(name),
          saveCheckpoint: (name, position) => store.saveCheckpoint(name, position),
          waitForAppend: wakeOnAppend(appended, () => listener ? pollIntervalMs : Math.min(pollIntervalMs, 250)),
        },
        subscribeOptions,
      );
    },

    async loadCheckpoint(name: string): Promise<number | undefined> {
      assertOpen();
      const result = await pool.query<{ position: string }>(`SELECT position FROM ${schema}.checkpoints WHERE name = $1`, [name]);
      return result.rows[0] ? Number(result.rows[0].position) : undefined;
    },

    async saveCheckpoint(name: string, position: number): Promise<void> {
      assertOpen();
      await pool.query(
        `INSERT INTO ${schema}.checkpoints (name, position, updated_at) VALUES ($1, $2, now())
         ON CONFLICT (name) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at`,
        [name, position],
      );
    },

    async verifyStream(stream: string): Promise<ChainVerification> {
      assertOpen();
      const verifier = new ChainVerifier({ densePositions: false });
      const result = await pool.query<[string, string, number, string, string]>({
        text: `SELECT position, stream, revision, body, hash FROM ${schema}.events WHERE stream = $1 ORDER BY revision`,
        values: [stream],
        rowMode: 'array',
      });
      for (const [position, rowStream, revision, hashedText, hash] of result.rows) {
        if (!verifier.check({ position: Number(position), stream: rowStream, revision, hashedText, hash })) break;
      }
      return verifier.result();
    },

    async verifyAll(verifyOptions: { onProgress?: (checked: number) => void } = {}): Promise<ChainVerification> {
      assertOpen();
      const verifier = new ChainVerifier({ densePositions: true, firstPosition: 0 });
      const page = 10_000;
      let after = -1;
      let checked = 0;
      for (;;) {
        const result = await pool.query<[string, string, number, string, string]>({
          text: `SELECT position, stream, revision, body, hash FROM ${schema}.events WHERE position > $1 ORDER BY position LIMIT $2`,
          values: [after, page],
          rowMode: 'array',
        });
        for (const [position, stream, revision, hashedText, hash] of result.rows) {
          if (!verifier.check({ position: Number(position), stream, revision, hashedText, hash })) return verifier.result();
        }
        checked += result.rows.length;
        verifyOptions.onProgress?.(checked);
        if (result.rows.length < page) return verifier.result();
        after = Number(result.rows[result.rows.length - 1]![0]);
      }
    },

    async close(): Promise<void> {
      if (closing) return closing;
      // Refuse new appends first, so a busy writer cannot keep the drain from ever finishing.
      accepting = false;
      closing = (async () => {
        await committer.drain();
        closed = true;
        lifetime.abort();
        await listener?.end().catch(() => undefined);
        await pool.end();
      })();
      return closing;
    },
  };
  return store;
}
