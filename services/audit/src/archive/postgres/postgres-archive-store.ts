// The ArchiveStore on PostgreSQL, in the service's schema, on a pool of its own. `record` is one
// transaction: take the head lock, look up the incoming ids (after the lock, so a concurrent
// writer's commit is seen), insert the new rows in one statement, move the head.
import pg from 'pg';
import type { RecordedEvent } from '@nrm/contracts';
import { archivedEvent, incomingEvents, planArchive } from '../archive-plan.ts';
import type { ArchivedCopy } from '../archive-plan.ts';
import { ArchiveClosedError, InvalidArchiveRequestError, assertRange } from '../archive-store.ts';
import type { ArchiveRange, ArchiveStore, ArchivedEvent, RecordOutcome } from '../archive-store.ts';
import { SCHEMA_NAME, postgresArchiveSchema } from './schema.ts';
import { inPgTransaction } from '@nrm/eventstore';

export type PostgresArchiveStoreOptions = { connectionString: string; schema: string; poolSize?: number };

type ArchivedRow = { sequence: string; archived_at: string; envelope: string };

export async function createPostgresArchiveStore(options: PostgresArchiveStoreOptions): Promise<ArchiveStore> {
  const { schema } = options;
  if (!SCHEMA_NAME.test(schema)) throw new InvalidArchiveRequestError(`schema must be a plain SQL identifier; got ${JSON.stringify(schema)}`);
  const pool = new pg.Pool({ connectionString: options.connectionString, max: options.poolSize ?? 4 });
  // An idle client dropped by the server must not crash the process; the next query reports it.
  pool.on('error', () => undefined);
  const table = { archive: `"${schema}".audit_archive`, head: `"${schema}".audit_archive_head` };
  let closed = false;

  try {
    await inPgTransaction(pool, async (client) => {
      // Concurrent CREATE … IF NOT EXISTS can still collide in the catalog; the lock orders them.
      await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`nrm.audit.archive.migrate:${schema}`]);
      await client.query(postgresArchiveSchema(schema));
    });
  } catch (error) {
    await pool.end();
    throw error;
  }

  function assertOpen(): void {
    if (closed) throw new ArchiveClosedError('postgres');
  }

  const toArchived = (rows: ArchivedRow[]): ArchivedEvent[] => rows.map((row) => archivedEvent(Number(row.sequence), row.archived_at, row.envelope));

  return {
    name: 'postgres',

    async record(events: readonly RecordedEvent[]): Promise<RecordOutcome> {
      assertOpen();
      const incoming = incomingEvents(events);
      if (incoming.length === 0) return { added: 0, conflicts: [] };
      return inPgTransaction(pool, async (client) => {
        const head = await client.query<{ sequence: string }>(`SELECT sequence FROM ${table.head} FOR UPDATE`);
        const copies = await client.query<{ id: string; sequence: string; hash: string; envelope: string }>(
          `SELECT id, sequence, hash, envelope FROM ${table.archive} WHERE id = ANY($1::text[])`,
          [[...new Set(incoming.map((event) => event.id))]],
        );
        const archived = new Map<string, ArchivedCopy>(copies.rows.map((row) => [row.id, { sequence: Number(row.sequence), hash: row.hash, envelope: row.envelope }]));
        const { rows, conflicts } = planArchive(incoming, archived, Number(head.rows[0]!.sequence) + 1, new Date().toISOString());
        if (rows.length > 0) {
          const column = <K extends keyof (typeof rows)[number]>(key: K) => rows.map((row) => row[key]);
          await client.query(
            `INSERT INTO ${table.archive} (sequence, id, case_id, agency, type, recorded_at, archived_at, hash, envelope)
             SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[])`,
            [column('sequence'), column('id'), column('caseId'), column('agency'), column('type'), column('recordedAt'), column('archivedAt'), column('hash'), column('envelope')],
          );
          await client.query(`UPDATE ${table.head} SET sequence = $1`, [rows[rows.length - 1]!.sequence]);
        }
        return { added: rows.length, conflicts };
      });
    },

    async caseEvents(caseId: string): Promise<ArchivedEvent[]> {
      assertOpen();
      const result = await pool.query<ArchivedRow>(`SELECT sequence, archived_at, envelope FROM ${table.archive} WHERE case_id = $1 ORDER BY sequence`, [caseId]);
      return toArchived(result.rows);
    },

    async read(range: ArchiveRange): Promise<ArchivedEvent[]> {
      assertOpen();
      assertRange(range);
      const result = await pool.query<ArchivedRow>(`SELECT sequence, archived_at, envelope FROM ${table.archive} WHERE sequence >= $1 ORDER BY sequence LIMIT $2`, [
        range.from,
        range.limit,
      ]);
      return toArchived(result.rows);
    },

    async count(): Promise<number> {
      assertOpen();
      const result = await pool.query<{ sequence: string }>(`SELECT sequence FROM ${table.head}`);
      return Number(result.rows[0]!.sequence) + 1;
    },

    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}
