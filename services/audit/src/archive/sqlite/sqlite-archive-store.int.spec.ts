import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { createSqliteEventStore } from '@nrm/eventstore';
import { testEvent } from '@nrm/eventstore/testing';
import { newId } from '@nrm/contracts';
import type { ArchiveStore } from '../archive-store.ts';
import { describeArchiveConformance } from '../testing/archive-conformance.ts';
import { recordedEventSource } from '../testing/recorded-events.ts';
import { createSqliteArchiveStore } from './sqlite-archive-store.ts';

const tempDir = () => mkdtempSync(join(tmpdir(), 'nrm-archive-'));

describeArchiveConformance('sqlite, a file of its own', async () => {
  const dir = tempDir();
  const path = join(dir, 'archive.db');
  const archives: ArchiveStore[] = [createSqliteArchiveStore({ path })];
  return {
    archive: archives[0]!,
    async reopen() {
      archives.push(createSqliteArchiveStore({ path }));
      return archives[archives.length - 1]!;
    },
    async cleanup() {
      for (const archive of archives) await archive.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

describeArchiveConformance("sqlite, on the event store's connection", async () => {
  const dir = tempDir();
  const path = join(dir, 'events.db');
  const eventStores = [createSqliteEventStore({ path, durability: 'normal' })];
  return {
    archive: createSqliteArchiveStore({ database: eventStores[0]!.database }),
    async reopen() {
      const another = createSqliteEventStore({ path, durability: 'normal' });
      eventStores.push(another);
      return createSqliteArchiveStore({ database: another.database });
    },
    async cleanup() {
      for (const store of eventStores) await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

describe('sqlite archive', () => {
  it("lives beside the event store's tables, interleaves with its commits and leaves the connection open", async () => {
    const dir = tempDir();
    const events = createSqliteEventStore({ path: join(dir, 'events.db'), durability: 'normal' });
    const archive = createSqliteArchiveStore({ database: events.database });
    const source = recordedEventSource();
    await Promise.all(Array.from({ length: 100 }, (_, i) => (i % 2 === 0 ? events.append(`s-${i % 7}`, [testEvent()]) : archive.record([source.event()]))));
    expect(await events.headPosition()).toBe(49);
    expect(await archive.count()).toBe(50);
    await archive.close();
    expect(events.database.isOpen).toBe(true);
    await events.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("finds a case's events through the (case_id, sequence) index, without sorting", () => {
    const database = new DatabaseSync(':memory:');
    createSqliteArchiveStore({ database });
    const plan = database
      .prepare('EXPLAIN QUERY PLAN SELECT sequence, archived_at, envelope FROM audit_archive WHERE case_id = ? ORDER BY sequence')
      .all(newId())
      .map((row) => String(row.detail))
      .join('\n');
    expect(plan).toMatch(/SEARCH audit_archive USING INDEX audit_archive_case \(case_id=\?\)/);
    expect(plan).not.toMatch(/TEMP B-TREE/);
    database.close();
  });
});
