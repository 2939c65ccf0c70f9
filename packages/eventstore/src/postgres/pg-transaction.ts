// One transaction on a pooled PostgreSQL connection: BEGIN, the work, COMMIT; ROLLBACK on any
// failure; the connection always goes back to the pool. Every PostgreSQL adapter of the backbone
// (projections, vault keys, the audit archive) uses this one.
import type pg from 'pg';

export async function inPgTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
