// Tamper tests: a real log (the embedded backbone driven through its HTTP API, every event in the
// audit archive), then one byte changed, one event deleted, two events swapped, straight in the
// database, in SQLite and in PostgreSQL. `verifyBackbone` must fail each time and say where;
// the untouched log must pass.
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { newId } from '@nrm/contracts';
import { createPostgresArchiveStore, createSqliteArchiveStore } from '@nrm/audit';
import type { ArchiveStore } from '@nrm/audit';
import { createPostgresEventStore, parseStoreUrl } from '@nrm/eventstore';
import { postgresTestUrl } from '@nrm/eventstore/testing';
import { startBackbone } from '../backbone.ts';
import { createBackboneClient } from '../backbone-client.ts';
import { resolveStartConfig } from '../config.ts';
import { simulate } from '../scenario/simulation.ts';
import { verifyBackbone } from './verify-backbone.ts';
import type { BackboneVerification, DiscrepancyKind } from './verify-backbone.ts';

type StoredRow = { position: number; id: string; stream: string; revision: number; body: string; hash: string };

async function openArchiveOf(storeUrl: string): Promise<ArchiveStore> {
  const location = parseStoreUrl(storeUrl);
  if (location.kind === 'postgres') return createPostgresArchiveStore({ connectionString: location.connectionString, schema: location.schema });
  if (location.kind === 'sqlite') return createSqliteArchiveStore({ path: location.path });
  throw new Error(`no archive in ${storeUrl}`);
}

/** Runs the embedded backbone on `storeUrl`, drives a few referral chains, and waits until the archive holds every event. */
async function recordLog(dataDir: string, storeUrl: string): Promise<void> {
  const backbone = await startBackbone(resolveStartConfig(null, { port: '0', 'data-dir': dataDir, store: storeUrl, 'log-level': 'silent' }, {}));
  try {
    const client = await createBackboneClient({ baseUrl: backbone.url, dataDir });
    const result = await simulate(client, { cases: 3, concurrency: 3, seed: 11 });
    expect(result.failures).toEqual([]);
    const archive = await openArchiveOf(storeUrl);
    try {
      const deadline = Date.now() + 15_000;
      while ((await archive.count()) < (await backbone.store.headPosition()) + 1) {
        if (Date.now() > deadline) throw new Error('the archive did not catch up with the store');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    } finally {
      await archive.close();
    }
  } finally {
    await backbone.close();
  }
}

function kinds(result: BackboneVerification): DiscrepancyKind[] {
  return result.discrepancies.map((found) => found.kind).sort();
}

/** A digit of the year in `occurredAt`: one byte, and the body stays valid JSON. */
function changeOneByte(body: string): string {
  const at = body.indexOf('"occurredAt":"') + '"occurredAt":"'.length + 3;
  const digit = body[at]!;
  return `${body.slice(0, at)}${digit === '9' ? '0' : String(Number(digit) + 1)}${body.slice(at + 1)}`;
}

/** Two events of one stream, next to each other in it: swapping them reorders the stream. */
function pickSwap(rows: readonly StoredRow[]): [StoredRow, StoredRow] {
  for (const row of rows) {
    const next = rows.find((other) => other.stream === row.stream && other.revision === row.revision + 1);
    if (row.revision > 0 && next) return [row, next];
  }
  throw new Error('no stream with three events');
}

describe('verifyBackbone on SQLite (embedded log)', () => {
  let dataDir: string;
  let pristine: string;
  let rows: StoredRow[];
  let copies = 0;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'nrm-verify-'));
    pristine = join(dataDir, 'nrm.db');
    await recordLog(dataDir, `sqlite:${pristine}`);
    const database = new DatabaseSync(pristine, { readOnly: true });
    rows = database.prepare('SELECT position, id, stream, revision, body, hash FROM events ORDER BY position').all() as StoredRow[];
    database.close();
  }, 60_000);

  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  /** A copy of the recorded log with `tamper` applied to it directly in SQL. */
  function tampered(tamper: (database: DatabaseSync) => void): string {
    const path = join(dataDir, `copy-${++copies}.db`);
    copyFileSync(pristine, path);
    for (const suffix of ['-wal', '-shm']) if (existsSync(pristine + suffix)) copyFileSync(pristine + suffix, path + suffix);
    const database = new DatabaseSync(path);
    tamper(database);
    database.close();
    return `sqlite:${path}`;
  }

  const verify = (url: string) => verifyBackbone({ stores: [url], archive: url });
  const middle = () => rows[Math.floor(rows.length / 2)]!;

  it('passes an untouched log, with every event compared', async () => {
    const url = tampered(() => undefined);
    const result = await verify(url);
    expect(result.discrepancies).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.stores[0]!.events).toBe(rows.length);
    expect(result.archive.events).toBe(rows.length);
    expect(rows.length).toBeGreaterThan(30);
  });

  it('fails when one byte of one stored event changed, naming its stream and position', async () => {
    const target = middle();
    const url = tampered((database) => database.prepare('UPDATE events SET body = ? WHERE position = ?').run(changeOneByte(target.body), target.position));
    const result = await verify(url);
    expect(result.ok).toBe(false);
    expect(result.discrepancies).toContainEqual(
      expect.objectContaining({ kind: 'chain-broken', stream: target.stream, revision: target.revision, position: target.position, eventId: target.id, problem: expect.stringMatching(/^hash mismatch/) }),
    );
  });

  it('fails when one event was deleted, naming the missing event', async () => {
    const target = middle();
    const url = tampered((database) => database.prepare('DELETE FROM events WHERE position = ?').run(target.position));
    const result = await verify(url);
    expect(kinds(result)).toEqual(['chain-broken', 'missing-from-store']);
    expect(result.discrepancies).toContainEqual(expect.objectContaining({ kind: 'missing-from-store', stream: target.stream, revision: target.revision, position: target.position, eventId: target.id, count: 1 }));
    expect(result.discrepancies).toContainEqual(expect.objectContaining({ kind: 'chain-broken', position: target.position + 1, problem: expect.stringMatching(/^position gap/) }));
  });

  it('fails when the newest events were cut off, which leaves every chain intact', async () => {
    const cut = rows.slice(-3);
    const url = tampered((database) => database.prepare('DELETE FROM events WHERE position >= ?').run(cut[0]!.position));
    const result = await verify(url);
    expect(kinds(result)).toEqual(['missing-from-store']);
    expect(result.discrepancies[0]).toMatchObject({ position: cut[0]!.position, eventId: cut[0]!.id, count: 3 });
  });

  it('fails when the store was emptied', async () => {
    const result = await verify(tampered((database) => database.exec('DELETE FROM events')));
    expect(kinds(result)).toEqual(['missing-from-store']);
    expect(result.discrepancies[0]).toMatchObject({ position: 0, count: rows.length });
  });

  it('fails when two events were swapped, naming where', async () => {
    const [first, second] = pickSwap(rows);
    const url = tampered((database) => {
      const swap = database.prepare('UPDATE events SET body = ?, hash = ? WHERE position = ?');
      swap.run(second.body, second.hash, first.position);
      swap.run(first.body, first.hash, second.position);
    });
    const result = await verify(url);
    expect(result.ok).toBe(false);
    expect(result.discrepancies).toContainEqual(expect.objectContaining({ kind: 'chain-broken', stream: first.stream, position: first.position }));
    expect(result.discrepancies).toContainEqual(expect.objectContaining({ kind: 'differs-from-archive', position: first.position, eventId: second.id, count: 2 }));
  });

  it('fails when an archived copy was altered, naming its sequence', async () => {
    const target = middle();
    const url = tampered((database) => {
      const row = database.prepare('SELECT sequence, envelope FROM audit_archive WHERE id = ?').get(target.id) as { sequence: number; envelope: string };
      database.prepare('UPDATE audit_archive SET envelope = ? WHERE sequence = ?').run(changeOneByte(row.envelope), row.sequence);
    });
    const result = await verify(url);
    expect(kinds(result)).toEqual(['archive-hash-mismatch']);
    expect(result.discrepancies[0]).toMatchObject({ eventId: target.id, stream: target.stream, position: target.position });
  });

  it('fails when an archived copy was deleted, naming the gap it leaves', async () => {
    const target = middle();
    let sequence = -1;
    const url = tampered((database) => {
      sequence = (database.prepare('SELECT sequence FROM audit_archive WHERE id = ?').get(target.id) as { sequence: number }).sequence;
      database.prepare('DELETE FROM audit_archive WHERE sequence = ?').run(sequence);
    });
    const result = await verify(url);
    expect(kinds(result)).toEqual(['archive-sequence-gap', 'missing-from-archive']);
    expect(result.discrepancies).toContainEqual(expect.objectContaining({ kind: 'archive-sequence-gap', sequence: sequence + 1, problem: `sequence ${sequence + 1} where ${sequence} was expected`, count: 1 }));
    expect(result.discrepancies).toContainEqual(expect.objectContaining({ kind: 'missing-from-archive', eventId: target.id, position: target.position }));
    expect(result.archive.events).toBe(rows.length - 1);
  });

  it('fails when the newest archived copy was deleted, which leaves no gap', async () => {
    const last = rows[rows.length - 1]!;
    const url = tampered((database) => database.exec('DELETE FROM audit_archive WHERE sequence = (SELECT MAX(sequence) FROM audit_archive)'));
    const result = await verify(url);
    expect(kinds(result)).toEqual(['missing-from-archive']);
    expect(result.discrepancies[0]).toMatchObject({ eventId: last.id, position: last.position });
    expect(result.archive.events).toBe(rows.length - 1);
  });

  it('fails when the archive holds an event no store has', async () => {
    const url = tampered((database) => {
      const last = database.prepare('SELECT * FROM audit_archive ORDER BY sequence DESC LIMIT 1').get() as { sequence: number; id: string; case_id: string; agency: string; type: string; recorded_at: string; archived_at: string; hash: string; envelope: string };
      const id = newId();
      const envelope = last.envelope.replaceAll(last.id, id);
      database.prepare('INSERT INTO audit_archive (sequence, id, case_id, agency, type, recorded_at, archived_at, hash, envelope) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)').run(last.sequence + 1, id, last.case_id, last.agency, last.type, last.recorded_at, last.archived_at, last.hash, envelope);
    });
    const result = await verify(url);
    expect(kinds(result)).toEqual(['archive-hash-mismatch', 'missing-from-store']);
    expect(result.discrepancies).toContainEqual(expect.objectContaining({ kind: 'missing-from-store', sequence: rows.length }));
    expect(result.archive.events).toBe(rows.length + 1);
  });
});

describe('verifyBackbone on PostgreSQL', () => {
  const schema = `verify_test_${randomBytes(5).toString('hex')}`;
  const url = `${postgresTestUrl()}?schema=${schema}`;
  let dataDir: string;
  let admin: Awaited<ReturnType<typeof createPostgresEventStore>>;
  let rows: StoredRow[];

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'nrm-verify-pg-'));
    await recordLog(dataDir, url);
    admin = await createPostgresEventStore({ connectionString: postgresTestUrl(), schema });
    const result = await admin.pool.query(`SELECT position::int AS position, id, stream, revision, body, hash FROM ${schema}.events ORDER BY position`);
    rows = result.rows as StoredRow[];
  }, 60_000);

  afterAll(async () => {
    await admin?.pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Tampers in one transaction, verifies, then puts the rows back as they were. */
  async function verifyTampered(tamper: string[], restore: string[]): Promise<BackboneVerification> {
    const run = async (statements: string[]) => {
      const client = await admin.pool.connect();
      try {
        await client.query('BEGIN');
        for (const statement of statements) await client.query(statement);
        await client.query('COMMIT');
      } finally {
        client.release();
      }
    };
    await run(tamper);
    try {
      return await verifyBackbone({ stores: [url], archive: url });
    } finally {
      await run(restore);
    }
  }

  const literal = (text: string) => `'${text.replaceAll("'", "''")}'`;
  const middle = () => rows[Math.floor(rows.length / 2)]!;

  it('passes the untouched log', async () => {
    const result = await verifyBackbone({ stores: [url], archive: url });
    expect(result.discrepancies).toEqual([]);
    expect(result.stores[0]!.events).toBe(rows.length);
  });

  it('fails when one byte of one stored event changed', async () => {
    const target = middle();
    const result = await verifyTampered(
      [`UPDATE ${schema}.events SET body = ${literal(changeOneByte(target.body))} WHERE position = ${target.position}`],
      [`UPDATE ${schema}.events SET body = ${literal(target.body)} WHERE position = ${target.position}`],
    );
    expect(kinds(result)).toEqual(['chain-broken']);
    expect(result.discrepancies[0]).toMatchObject({ stream: target.stream, revision: target.revision, position: target.position, eventId: target.id, problem: expect.stringMatching(/^hash mismatch/) });
    expect(result.discrepancies[0]!.store).toContain(`schema=${schema}`);
  });

  it('fails when one event was deleted', async () => {
    const target = middle();
    const saved = (await admin.pool.query(`SELECT * FROM ${schema}.events WHERE position = $1`, [target.position])).rows[0] as Record<string, string | number | null>;
    const columns = Object.keys(saved);
    const values = columns.map((column) => (saved[column] === null ? 'NULL' : literal(String(saved[column]))));
    const result = await verifyTampered(
      [`DELETE FROM ${schema}.events WHERE position = ${target.position}`],
      [`INSERT INTO ${schema}.events (${columns.join(', ')}) VALUES (${values.join(', ')})`],
    );
    expect(kinds(result)).toEqual(['chain-broken', 'missing-from-store']);
    expect(result.discrepancies).toContainEqual(expect.objectContaining({ kind: 'missing-from-store', stream: target.stream, revision: target.revision, position: target.position, eventId: target.id }));
  });

  it('fails when two events were swapped', async () => {
    const [first, second] = pickSwap(rows);
    const set = (row: StoredRow, position: number) => `UPDATE ${schema}.events SET body = ${literal(row.body)}, hash = ${literal(row.hash)} WHERE position = ${position}`;
    const result = await verifyTampered([set(second, first.position), set(first, second.position)], [set(first, first.position), set(second, second.position)]);
    expect(result.ok).toBe(false);
    expect(result.discrepancies).toContainEqual(expect.objectContaining({ kind: 'chain-broken', stream: first.stream, position: first.position }));
    expect(result.discrepancies).toContainEqual(expect.objectContaining({ kind: 'differs-from-archive', position: first.position, eventId: second.id }));
  });

  it('passes again once every row is back', async () => {
    expect((await verifyBackbone({ stores: [url], archive: url })).ok).toBe(true);
  });
});
