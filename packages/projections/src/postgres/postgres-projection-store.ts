// The ProjectionStore on PostgreSQL, in the schema (and usually on the pool) of the service's
// event store. A unit of work holds a transaction-scoped advisory lock on its projection, reads
// the checkpoint under it, runs the synchronous work against documents loaded on demand (see
// staged-unit-of-work.ts), then writes documents, tags and checkpoint in a few set-based statements.
import pg from 'pg';
import { assertKey, assertPartition, assertProjectionName, assertTag } from '../document-validation.ts';
import { InvalidProjectionRequestError, ProjectionStoreClosedError } from '../errors.ts';
import { listQuery, pageOf } from '../list-query.ts';
import type { CountOptions, ListOptions, ListPage, ProjectionCheckpoint, ProjectionDocument, ProjectionStore, ProjectionUnitOfWork } from '../projection-store.ts';
import { DOCUMENT_COLUMNS, documentFromRow } from '../stored-document.ts';
import type { DocumentRow } from '../stored-document.ts';
import { runSynchronousWork } from '../synchronous-work.ts';
import { SCHEMA_NAME, postgresProjectionSchema } from './schema.ts';
import { stagedUnitOfWork } from './staged-unit-of-work.ts';
import type { LoadedDocuments, StagedUnitOfWork } from './staged-unit-of-work.ts';
import { inPgTransaction } from '@nrm/eventstore';

export type PostgresProjectionConnection =
  /** The service's pool (the event store's `pool`): left open by `close()`. */
  | { pool: pg.Pool }
  | { connectionString: string };

type CheckpointRow = { position: string; version: number };

export async function createPostgresProjectionStore(connection: PostgresProjectionConnection, schema = 'public'): Promise<ProjectionStore> {
  if (!SCHEMA_NAME.test(schema)) throw new InvalidProjectionRequestError(`schema must be a plain SQL identifier; got ${JSON.stringify(schema)}`);
  const owned = !('pool' in connection);
  const pool = 'pool' in connection ? connection.pool : new pg.Pool({ connectionString: connection.connectionString });
  // An idle client dropped by the server must not crash the process; the next query reports it.
  if (owned) pool.on('error', () => undefined);
  const table = {
    documents: `"${schema}".projection_documents`,
    tags: `"${schema}".projection_tags`,
    checkpoints: `"${schema}".projection_checkpoints`,
  };
  let closed = false;

  try {
    await inPgTransaction(pool, async (client) => {
      // Concurrent CREATE … IF NOT EXISTS can still collide in the catalog; the lock orders them.
      await client.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`nrm.projections.migrate:${schema}`]);
      await client.query(postgresProjectionSchema(schema));
    });
  } catch (error) {
    if (owned) await pool.end();
    throw error;
  }

  function assertOpen(): void {
    if (closed) throw new ProjectionStoreClosedError('postgres');
  }

  async function lockProjection(client: pg.PoolClient, projection: string): Promise<void> {
    await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`nrm.projection:${schema}:${projection}`]);
  }

  async function readCheckpoint(queryable: pg.Pool | pg.PoolClient, projection: string): Promise<ProjectionCheckpoint | undefined> {
    const result = await queryable.query<CheckpointRow>(`SELECT position, version FROM ${table.checkpoints} WHERE projection = $1`, [projection]);
    const row = result.rows[0];
    return row && { position: Number(row.position), version: row.version };
  }

  async function load(client: pg.PoolClient, projection: string, keys: Iterable<string>, into: LoadedDocuments): Promise<void> {
    const wanted = [...keys];
    const result = await client.query<DocumentRow>(`SELECT ${DOCUMENT_COLUMNS} FROM ${table.documents} WHERE projection = $1 AND key = ANY($2::text[])`, [
      projection,
      wanted,
    ]);
    for (const key of wanted) into.set(key, null);
    for (const row of result.rows) into.set(row.key, row);
  }

  async function write(client: pg.PoolClient, projection: string, unit: StagedUnitOfWork): Promise<void> {
    const keys = [...unit.writes.keys()];
    if (keys.length > 0) {
      const puts = [...unit.writes.values()].filter((row): row is DocumentRow => row !== null);
      const deleted = keys.filter((key) => unit.writes.get(key) === null);
      await client.query(`DELETE FROM ${table.tags} WHERE projection = $1 AND key = ANY($2::text[])`, [projection, keys]);
      if (deleted.length > 0) await client.query(`DELETE FROM ${table.documents} WHERE projection = $1 AND key = ANY($2::text[])`, [projection, deleted]);
      if (puts.length > 0) {
        await client.query(
          `INSERT INTO ${table.documents} (projection, key, partition, sort_key, tags, doc)
           SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
           ON CONFLICT (projection, key) DO UPDATE
           SET partition = excluded.partition, sort_key = excluded.sort_key, tags = excluded.tags, doc = excluded.doc`,
          [projection, puts.map((row) => row.key), puts.map((row) => row.partition), puts.map((row) => row.sort_key), puts.map((row) => row.tags), puts.map((row) => row.doc)],
        );
        const tagRows = puts.flatMap((row) => (JSON.parse(row.tags) as string[]).map((tag) => [row.partition, tag, row.sort_key, row.key] as const));
        if (tagRows.length > 0) {
          await client.query(
            `INSERT INTO ${table.tags} (projection, partition, tag, sort_key, key)
             SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[])`,
            [projection, ...[0, 1, 2, 3].map((column) => tagRows.map((row) => row[column]))],
          );
        }
      }
    }
    const checkpoint = unit.newCheckpoint();
    if (checkpoint) {
      await client.query(
        `INSERT INTO ${table.checkpoints} (projection, position, version, updated_at) VALUES ($1, $2, $3, now())
         ON CONFLICT (projection) DO UPDATE SET position = excluded.position, version = excluded.version, updated_at = excluded.updated_at`,
        [projection, checkpoint.position, checkpoint.version],
      );
    }
  }

  return {
    name: 'postgres',

    async transaction<T>(projection: string, work: (tx: ProjectionUnitOfWork) => T): Promise<T> {
      assertOpen();
      assertProjectionName(projection);
      return inPgTransaction(pool, async (client) => {
        await lockProjection(client, projection);
        // Read after the lock, in a statement of its own: READ COMMITTED then sees the previous holder's commit.
        const stored = await readCheckpoint(client, projection);
        const loaded: LoadedDocuments = new Map();
        for (;;) {
          const unit = stagedUnitOfWork(loaded, stored);
          let outcome: { ok: true; result: T } | { ok: false; error: unknown };
          try {
            outcome = { ok: true, result: runSynchronousWork(work, unit.tx) };
          } catch (error) {
            outcome = { ok: false, error };
          } finally {
            unit.end();
          }
          // A run that read an unloaded document worked on a guess, and so did whatever it threw.
          if (unit.misses.size > 0) {
            await load(client, projection, unit.misses, loaded);
            continue;
          }
          if (!outcome.ok) throw outcome.error;
          await write(client, projection, unit);
          return outcome.result;
        }
      });
    },

    async get(projection: string, key: string): Promise<ProjectionDocument | undefined> {
      assertOpen();
      assertProjectionName(projection);
      assertKey(key);
      const result = await pool.query<DocumentRow>(`SELECT ${DOCUMENT_COLUMNS} FROM ${table.documents} WHERE projection = $1 AND key = $2`, [projection, key]);
      return result.rows[0] && documentFromRow(result.rows[0]);
    },

    async list(projection: string, options: ListOptions): Promise<ListPage> {
      assertOpen();
      assertProjectionName(projection);
      const query = listQuery(options);
      const direction = query.order === 'asc' ? 'ASC' : 'DESC';
      const values: unknown[] = [projection, query.partition];
      const param = (value: unknown) => `$${values.push(value)}`;
      const tagCondition = query.tag === undefined ? '' : ` AND o.tag = ${param(query.tag)}`;
      const after = query.after ? ` AND (o.sort_key, o.key) ${query.order === 'asc' ? '>' : '<'} (${param(query.after.sortKey)}, ${param(query.after.key)})` : '';
      const source = query.tag === undefined ? `${table.documents} o` : `${table.tags} o JOIN ${table.documents} d ON d.projection = o.projection AND d.key = o.key`;
      const columns = query.tag === undefined ? DOCUMENT_COLUMNS : 'd.key, d.partition, d.sort_key, d.tags, d.doc';
      const result = await pool.query<DocumentRow>(
        `SELECT ${columns} FROM ${source} WHERE o.projection = $1 AND o.partition = $2${tagCondition}${after}
         ORDER BY o.sort_key ${direction}, o.key ${direction} LIMIT ${param(query.limit + 1)}`,
        values,
      );
      return pageOf(result.rows.map(documentFromRow), query.limit);
    },

    async count(projection: string, options: CountOptions): Promise<number> {
      assertOpen();
      assertProjectionName(projection);
      assertPartition(options.partition);
      if (options.tag !== undefined) assertTag(options.tag);
      const result =
        options.tag === undefined
          ? await pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${table.documents} WHERE projection = $1 AND partition = $2`, [projection, options.partition])
          : await pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${table.tags} WHERE projection = $1 AND partition = $2 AND tag = $3`, [
              projection,
              options.partition,
              options.tag,
            ]);
      return Number(result.rows[0]!.n);
    },

    async checkpoint(projection: string): Promise<ProjectionCheckpoint | undefined> {
      assertOpen();
      assertProjectionName(projection);
      return readCheckpoint(pool, projection);
    },

    async reset(projection: string): Promise<void> {
      assertOpen();
      assertProjectionName(projection);
      await inPgTransaction(pool, async (client) => {
        await lockProjection(client, projection);
        await client.query(`DELETE FROM ${table.tags} WHERE projection = $1`, [projection]);
        await client.query(`DELETE FROM ${table.documents} WHERE projection = $1`, [projection]);
        await client.query(`DELETE FROM ${table.checkpoints} WHERE projection = $1`, [projection]);
      });
    },

    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      if (owned) await pool.end();
    },
  };
}

