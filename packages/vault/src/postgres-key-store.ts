// The KeyStore on PostgreSQL, for services whose events live there. A transaction-scoped
// advisory lock per subject serialises "create the first key" against "erase": under READ
// COMMITTED, checks and inserts alone would let a key be created after an erasure committed.
import pg from 'pg';
import type { Ulid } from '@nrm/contracts';
import { InvalidVaultRequestError, KeyStoreClosedError, SubjectErasedError } from './errors.ts';
import type { Erasure, KeyStore, NewDataKey, StoredDataKey } from './key-store.ts';
import { inPgTransaction } from '@nrm/eventstore';

export type PostgresKeyStoreOptions = ({ pool: pg.Pool } | { connectionString: string }) & {
  /** The schema that holds the tables, created if missing; defaults to `public`. */
  schema?: string;
  /** The time erasures and new keys are stamped with. */
  clock?: () => Date;
};

type KeyRow = { subject: string; kid: string; kek_id: string; wrapped: Buffer; created_at: Date };

export async function createPostgresKeyStore(options: PostgresKeyStoreOptions): Promise<KeyStore> {
  const schema = options.schema ?? 'public';
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(schema)) {
    throw new InvalidVaultRequestError(`schema must be a plain SQL identifier; got ${JSON.stringify(schema)}`);
  }
  const owned = !('pool' in options);
  const pool = 'pool' in options ? options.pool : new pg.Pool({ connectionString: options.connectionString });
  // An idle client dropped by the server would otherwise crash the process; the next query
  // reports the failure to whoever asked.
  if (owned) pool.on('error', () => {});
  const clock = options.clock ?? (() => new Date());
  const keys = `"${schema}".vault_keys`;
  const erasures = `"${schema}".vault_erasures`;

  await inPgTransaction(pool, async (client) => {
    // Concurrent CREATE ... IF NOT EXISTS can still collide in the catalog; the lock orders them.
    await client.query(`SELECT pg_advisory_xact_lock(hashtextextended('nrm.vault.migrate', 0))`);
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    await client.query(`
      CREATE TABLE IF NOT EXISTS ${keys} (
        subject text NOT NULL,
        kid text NOT NULL,
        kek_id text NOT NULL,
        wrapped bytea NOT NULL,
        created_at timestamptz NOT NULL,
        PRIMARY KEY (subject, kid)
      )`);
    await client.query(`
      CREATE TABLE IF NOT EXISTS ${erasures} (
        subject text PRIMARY KEY,
        erased_at timestamptz NOT NULL
      )`);
  });

  const latestKeySql = `SELECT * FROM ${keys} WHERE subject = $1 ORDER BY kid DESC LIMIT 1`;
  let closed = false;

  function assertOpen(): void {
    if (closed) throw new KeyStoreClosedError('postgres');
  }

  async function lockSubject(client: pg.PoolClient, subject: Ulid): Promise<void> {
    await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`nrm.vault:${schema}:${subject}`]);
  }

  return {
    name: 'postgres',

    async activeKey(subject: Ulid, create: () => NewDataKey): Promise<StoredDataKey> {
      assertOpen();
      const existing = await pool.query<KeyRow>(latestKeySql, [subject]);
      if (existing.rows[0]) return toStoredKey(existing.rows[0]);
      return inPgTransaction(pool, async (client) => {
        await lockSubject(client, subject);
        const erased = await client.query(`SELECT 1 FROM ${erasures} WHERE subject = $1`, [subject]);
        if (erased.rowCount) throw new SubjectErasedError(subject);
        const raced = await client.query<KeyRow>(latestKeySql, [subject]);
        if (raced.rows[0]) return toStoredKey(raced.rows[0]);
        const key = create();
        const inserted = await client.query<KeyRow>(
          `INSERT INTO ${keys} (subject, kid, kek_id, wrapped, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING *`,
          [subject, key.kid, key.kekId, Buffer.from(key.wrapped), clock()],
        );
        return toStoredKey(inserted.rows[0]!);
      });
    },

    async keyById(subject: Ulid, kid: string): Promise<StoredDataKey | undefined> {
      assertOpen();
      const result = await pool.query<KeyRow>(`SELECT * FROM ${keys} WHERE subject = $1 AND kid = $2`, [subject, kid]);
      return result.rows[0] && toStoredKey(result.rows[0]);
    },

    async erase(subject: Ulid): Promise<Erasure> {
      assertOpen();
      return inPgTransaction(pool, async (client) => {
        await lockSubject(client, subject);
        await client.query(`INSERT INTO ${erasures} (subject, erased_at) VALUES ($1, $2) ON CONFLICT (subject) DO NOTHING`, [
          subject,
          clock(),
        ]);
        const deleted = await client.query(`DELETE FROM ${keys} WHERE subject = $1`, [subject]);
        const recorded = await client.query<{ erased_at: Date }>(`SELECT erased_at FROM ${erasures} WHERE subject = $1`, [subject]);
        return { subject, erasedAt: recorded.rows[0]!.erased_at.toISOString(), keysDestroyed: deleted.rowCount ?? 0 };
      });
    },

    async isErased(subject: Ulid): Promise<boolean> {
      assertOpen();
      const result = await pool.query(`SELECT 1 FROM ${erasures} WHERE subject = $1`, [subject]);
      return (result.rowCount ?? 0) > 0;
    },

    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      if (owned) await pool.end();
    },
  };
}

function toStoredKey(row: KeyRow): StoredDataKey {
  return { subject: row.subject, kid: row.kid, kekId: row.kek_id, wrapped: row.wrapped, createdAt: row.created_at.toISOString() };
}
