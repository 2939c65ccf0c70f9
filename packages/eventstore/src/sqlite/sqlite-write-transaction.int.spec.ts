// A write transaction that finds SQLite's write lock taken by another connection waits for it
// from the event loop: timers and I/O keep running meanwhile, the work runs once the lock is
// free, and after the polite window it falls back to the blocking wait (and its busy error).
import { mkdtempSync, rmSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sqliteWriteTransaction } from './sqlite-write-transaction.ts';

let dir: string;
let main: DatabaseSync;
let other: DatabaseSync;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'nrm-write-tx-'));
  main = new DatabaseSync(join(dir, 'db.sqlite'));
  main.exec('PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 200; CREATE TABLE t (n INTEGER)');
  other = new DatabaseSync(join(dir, 'db.sqlite'));
  other.exec('PRAGMA busy_timeout = 200');
});

afterEach(() => {
  if (other.isTransaction) other.exec('ROLLBACK');
  other.close();
  main.close();
  rmSync(dir, { recursive: true, force: true });
});

const rows = () => (main.prepare('SELECT COUNT(*) AS n FROM t').get() as { n: number }).n;

describe('sqliteWriteTransaction', () => {
  it('commits the work and resolves with its result', async () => {
    await expect(sqliteWriteTransaction(main, () => main.prepare('INSERT INTO t VALUES (1)').run().changes)).resolves.toBe(1);
    expect(main.isTransaction).toBe(false);
    expect(rows()).toBe(1);
  });

  it('rolls back and rejects when the work throws', async () => {
    await expect(
      sqliteWriteTransaction(main, () => {
        main.prepare('INSERT INTO t VALUES (1)').run();
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    expect(main.isTransaction).toBe(false);
    expect(rows()).toBe(0);
  });

  it('waits for a lock held elsewhere without blocking the thread, then writes', async () => {
    other.exec('BEGIN IMMEDIATE');
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 1);
    const written = sqliteWriteTransaction(main, () => main.prepare('INSERT INTO t VALUES (1)').run());
    // The other connection lets go after 15 ms; the thread was free to run the ticker meanwhile.
    await new Promise((resolve) => setTimeout(resolve, 15));
    other.exec('COMMIT');
    await written;
    clearInterval(ticker);
    expect(ticks).toBeGreaterThan(3);
    expect(rows()).toBe(1);
    // The connection's own busy timeout is back as it was.
    expect((main.prepare('PRAGMA busy_timeout').get() as { timeout: number }).timeout).toBe(200);
  });

  it('falls back to the blocking wait, and its busy error, when the lock stays taken', async () => {
    other.exec('BEGIN IMMEDIATE');
    const started = performance.now();
    const error = await sqliteWriteTransaction(main, () => main.prepare('INSERT INTO t VALUES (1)').run()).catch((thrown: unknown) => thrown);
    expect((error as { errcode?: number }).errcode).toBe(5);
    // 25 ms of polite retries, then the connection's 200 ms busy timeout.
    expect(performance.now() - started).toBeGreaterThanOrEqual(200);
    expect(main.isTransaction).toBe(false);
  });

  it('runs at once inside a transaction the caller opened, as its savepoint', async () => {
    main.exec('BEGIN');
    main.prepare('INSERT INTO t VALUES (1)').run();
    const nested = sqliteWriteTransaction(
      main,
      () => {
        main.prepare('INSERT INTO t VALUES (2)').run();
        throw new Error('undo only this');
      },
      { savepoint: 'inner' },
    );
    // Already done before the caller's transaction goes on: the savepoint was rolled back alone.
    expect(rows()).toBe(1);
    main.exec('COMMIT');
    await expect(nested).rejects.toThrow('undo only this');
    expect(rows()).toBe(1);
  });

  it('stops waiting when the store closes meanwhile', async () => {
    other.exec('BEGIN IMMEDIATE');
    let open = true;
    const written = sqliteWriteTransaction(main, () => main.prepare('INSERT INTO t VALUES (1)').run(), {
      assertOpen: () => {
        if (!open) throw new Error('store closed');
      },
    });
    open = false;
    await expect(written).rejects.toThrow('store closed');
  });
});
