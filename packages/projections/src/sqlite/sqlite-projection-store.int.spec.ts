import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { createSqliteEventStore } from '@nrm/eventstore';
import { testEvent } from '@nrm/eventstore/testing';
import { describeProjectionStoreConformance } from '../testing/projection-store-conformance.ts';
import type { ProjectionStore } from '../projection-store.ts';
import { createSqliteProjectionStore } from './sqlite-projection-store.ts';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'nrm-projections-'));
}

describeProjectionStoreConformance('sqlite, a file of its own', async () => {
  const dir = tempDir();
  const path = join(dir, 'projections.db');
  const stores: ProjectionStore[] = [createSqliteProjectionStore({ path })];
  return {
    store: stores[0]!,
    async reopen() {
      stores.push(createSqliteProjectionStore({ path }));
      return stores[stores.length - 1]!;
    },
    async cleanup() {
      for (const store of stores) await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

describeProjectionStoreConformance("sqlite, on the event store's connection", async () => {
  const dir = tempDir();
  const path = join(dir, 'events.db');
  const eventStores = [createSqliteEventStore({ path, durability: 'normal' })];
  return {
    store: createSqliteProjectionStore({ database: eventStores[0]!.database }),
    async reopen() {
      const another = createSqliteEventStore({ path, durability: 'normal' });
      eventStores.push(another);
      return createSqliteProjectionStore({ database: another.database });
    },
    async cleanup() {
      for (const store of eventStores) await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

describe('sqlite projection store', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it("lives beside the event store's tables and leaves a connection it was given open", async () => {
    const dir = tempDir();
    dirs.push(dir);
    const events = createSqliteEventStore({ path: join(dir, 'events.db'), durability: 'normal' });
    const projections = createSqliteProjectionStore({ database: events.database });
    await projections.transaction('inbox', (tx) => tx.put('a', 1, { partition: 'p', sortKey: '1' }));
    await projections.close();
    expect(events.database.isOpen).toBe(true);
    const tables = events.database.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all().map((row) => row.name);
    expect(tables).toEqual(['checkpoints', 'events', 'projection_checkpoints', 'projection_documents', 'projection_tags']);
    await events.append('s-1', [testEvent()]);
    expect(await events.headPosition()).toBe(0);
    await events.close();
  });

  it("interleaves with the event store's group commits on the shared connection without nesting transactions", async () => {
    const dir = tempDir();
    dirs.push(dir);
    const events = createSqliteEventStore({ path: join(dir, 'events.db'), durability: 'normal' });
    const projections = createSqliteProjectionStore({ database: events.database });
    const work = Array.from({ length: 200 }, (_, i) =>
      i % 2 === 0
        ? events.append(`s-${i % 7}`, [testEvent()])
        : projections.transaction('inbox', (tx) => {
            const n = ((tx.get('counter')?.doc as number | undefined) ?? 0) + 1;
            tx.put('counter', n, { partition: 'p', sortKey: '' });
          }),
    );
    await Promise.all(work);
    expect(await events.headPosition()).toBe(99);
    expect((await projections.get('inbox', 'counter'))?.doc).toBe(100);
    await events.close();
  });

  it('nests as a savepoint inside a transaction its caller already opened', async () => {
    const database = new DatabaseSync(':memory:');
    const projections = createSqliteProjectionStore({ database });
    database.exec('BEGIN');
    await expect(projections.transaction('inbox', (tx) => {
      tx.put('gone', 1, { partition: 'p', sortKey: '' });
      throw new Error('refused');
    })).rejects.toThrow('refused');
    void projections.transaction('inbox', (tx) => tx.put('kept', 1, { partition: 'p', sortKey: '' }));
    expect(database.isTransaction).toBe(true);
    database.exec('COMMIT');
    expect(await projections.get('inbox', 'gone')).toBeUndefined();
    expect(await projections.get('inbox', 'kept')).toMatchObject({ doc: 1 });
    database.close();
  });

  it('lists a partition, and a tag of it, by walking an index in order', () => {
    const database = new DatabaseSync(':memory:');
    createSqliteProjectionStore({ database });
    const plan = (sql: string) =>
      database.prepare(`EXPLAIN QUERY PLAN ${sql}`).all('inbox', 'p', 't', '1', '1', 'k', 10).map((row) => String(row.detail)).join('\n');
    const byTag = plan(
      `SELECT d.key FROM projection_tags o JOIN projection_documents d ON d.projection = o.projection AND d.key = o.key
       WHERE o.projection = ? AND o.partition = ? AND o.tag = ? AND o.sort_key >= ? AND (o.sort_key > ? OR o.key > ?) ORDER BY o.sort_key, o.key LIMIT ?`,
    );
    expect(byTag).toMatch(/SEARCH o USING PRIMARY KEY \(projection=\? AND partition=\? AND tag=\? AND sort_key>\?\)/);
    expect(byTag).not.toMatch(/TEMP B-TREE/);
    const byPartition = database
      .prepare(`EXPLAIN QUERY PLAN SELECT key FROM projection_documents o WHERE o.projection = ? AND o.partition = ? ORDER BY o.sort_key DESC, o.key DESC LIMIT ?`)
      .all('inbox', 'p', 10)
      .map((row) => String(row.detail))
      .join('\n');
    expect(byPartition).toMatch(/projection_documents_order/);
    expect(byPartition).not.toMatch(/TEMP B-TREE/);
    database.close();
  });
});
