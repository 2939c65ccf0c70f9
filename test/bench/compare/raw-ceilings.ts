// The ceilings: how fast the bare drivers insert rows of the same size, with no event store in
// between (no concurrency check, no envelope, no hash chain). Durable like the stores: node:sqlite
// in WAL with synchronous=FULL, PostgreSQL with its default synchronous_commit=on. One
// transaction per insert (the ceiling for single appends) and per 64 rows (for the group-commit
// workloads: 64 writers' appends in one commit, as the stores try to do).
import { mkdtempSync, rmSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { postgresTestUrl } from '@nrm/eventstore/testing';
import { benchEvent } from './shared-workloads.ts';

export type Ceiling = { singlePerSecond: number; batched64PerSecond: number };

const ROW = JSON.stringify(benchEvent());

export function sqliteCeiling(count: number): Ceiling {
  const dir = mkdtempSync(join(tmpdir(), 'nrm-ceiling-'));
  const database = new DatabaseSync(join(dir, 'raw.db'));
  try {
    database.exec('PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; CREATE TABLE raw (position INTEGER PRIMARY KEY, stream TEXT NOT NULL, revision INTEGER NOT NULL, body TEXT NOT NULL, UNIQUE (stream, revision))');
    const insert = database.prepare('INSERT INTO raw (stream, revision, body) VALUES (?, ?, ?)');
    let start = performance.now();
    for (let i = 0; i < count; i++) insert.run(`single-${i % 200}`, Math.floor(i / 200), ROW);
    const singlePerSecond = count / ((performance.now() - start) / 1000);
    const batches = Math.max(1, Math.floor(count / 64));
    start = performance.now();
    for (let batch = 0; batch < batches; batch++) {
      database.exec('BEGIN');
      for (let writer = 0; writer < 64; writer++) insert.run(`writer-${writer}`, batch, ROW);
      database.exec('COMMIT');
    }
    return { singlePerSecond, batched64PerSecond: (batches * 64) / ((performance.now() - start) / 1000) };
  } finally {
    database.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function postgresCeiling(count: number): Promise<Ceiling> {
  const schema = `bench_ceiling_${process.pid}`;
  const client = new pg.Client({ connectionString: postgresTestUrl() });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema}`);
    await client.query(`CREATE TABLE ${schema}.raw (position BIGSERIAL PRIMARY KEY, stream TEXT NOT NULL, revision INTEGER NOT NULL, body JSONB NOT NULL, UNIQUE (stream, revision))`);
    const insert = `INSERT INTO ${schema}.raw (stream, revision, body) VALUES ($1, $2, $3)`;
    let start = performance.now();
    for (let i = 0; i < count; i++) await client.query(insert, [`single-${i % 200}`, Math.floor(i / 200), ROW]);
    const singlePerSecond = count / ((performance.now() - start) / 1000);
    const batches = Math.max(1, Math.floor(count / 64));
    const values = Array.from({ length: 64 }, (_, writer) => `($${writer * 3 + 1}, $${writer * 3 + 2}, $${writer * 3 + 3})`).join(', ');
    start = performance.now();
    for (let batch = 0; batch < batches; batch++) {
      const parameters = Array.from({ length: 64 }, (_, writer) => [`writer-${writer}`, batch, ROW]).flat();
      await client.query(`INSERT INTO ${schema}.raw (stream, revision, body) VALUES ${values}`, parameters);
    }
    return { singlePerSecond, batched64PerSecond: (batches * 64) / ((performance.now() - start) / 1000) };
  } finally {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
    await client.end();
  }
}
