// The ArchiveStore on node:sqlite, normally on the service's own connection (the event store's
// `database`, so one backup holds both). `record` is one BEGIN IMMEDIATE … COMMIT with no await
// inside (it waits for the write lock from the event loop, sqliteWriteTransaction): the lock is
// taken before the next sequence is read, so sequences stay dense even with another process
// writing the same file.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { RecordedEvent } from '@nrm/contracts';
import { sqliteWriteTransaction } from '@nrm/eventstore';
import { archivedEvent, incomingEvents, planArchive } from '../archive-plan.ts';
import type { ArchivedCopy } from '../archive-plan.ts';
import { ArchiveClosedError, assertRange } from '../archive-store.ts';
import type { ArchiveRange, ArchiveStore, ArchivedEvent, RecordOutcome } from '../archive-store.ts';
import { SQLITE_ARCHIVE_SCHEMA } from './schema.ts';

export type SqliteArchiveStoreOptions =
  /** A file of its own (or ':memory:'), opened in WAL mode and closed by `close()`. */
  | { path: string }
  /** The service's connection, usually the event store's `database`; left open by `close()`. */
  | { database: DatabaseSync };

type ArchivedRow = { sequence: number; archived_at: string; envelope: string };

export function createSqliteArchiveStore(options: SqliteArchiveStoreOptions): ArchiveStore {
  const owned = 'path' in options;
  if (owned && options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
  const db = owned ? new DatabaseSync(options.path, { timeout: 5_000 }) : options.database;
  if (owned) db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;');
  db.exec(SQLITE_ARCHIVE_SCHEMA);
  let closed = false;

  const statements = {
    copy: db.prepare('SELECT sequence, hash, envelope FROM audit_archive WHERE id = ?'),
    count: db.prepare('SELECT COALESCE(MAX(sequence), -1) + 1 AS n FROM audit_archive'),
    insert: db.prepare(
      'INSERT INTO audit_archive (sequence, id, case_id, agency, type, recorded_at, archived_at, hash, envelope) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    caseEvents: db.prepare('SELECT sequence, archived_at, envelope FROM audit_archive WHERE case_id = ? ORDER BY sequence'),
    range: db.prepare('SELECT sequence, archived_at, envelope FROM audit_archive WHERE sequence >= ? ORDER BY sequence LIMIT ?'),
  };

  function assertOpen(): void {
    // The event store closes a shared connection when it closes; that ends this archive too.
    if (closed || !db.isOpen) throw new ArchiveClosedError('sqlite');
  }

  const toArchived = (rows: unknown[]): ArchivedEvent[] => (rows as ArchivedRow[]).map((row) => archivedEvent(row.sequence, row.archived_at, row.envelope));

  return {
    name: 'sqlite',

    async record(events: readonly RecordedEvent[]): Promise<RecordOutcome> {
      assertOpen();
      const incoming = incomingEvents(events);
      if (incoming.length === 0) return { added: 0, conflicts: [] };
      // Nests as a savepoint when the connection's owner already has a transaction open.
      return sqliteWriteTransaction(db, () => {
        const archived = new Map<string, ArchivedCopy>();
        for (const { id } of incoming) {
          const copy = statements.copy.get(id) as ArchivedCopy | undefined;
          if (copy) archived.set(id, copy);
        }
        const next = (statements.count.get() as { n: number }).n;
        const { rows, conflicts } = planArchive(incoming, archived, next, new Date().toISOString());
        for (const row of rows) statements.insert.run(row.sequence, row.id, row.caseId, row.agency, row.type, row.recordedAt, row.archivedAt, row.hash, row.envelope);
        return { added: rows.length, conflicts };
      }, { savepoint: 'audit_archive', assertOpen });
    },

    async caseEvents(caseId: string): Promise<ArchivedEvent[]> {
      assertOpen();
      return toArchived(statements.caseEvents.all(caseId));
    },

    async read(range: ArchiveRange): Promise<ArchivedEvent[]> {
      assertOpen();
      assertRange(range);
      return toArchived(statements.range.all(range.from, range.limit));
    },

    async count(): Promise<number> {
      assertOpen();
      return (statements.count.get() as { n: number }).n;
    },

    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      if (owned && db.isOpen) db.close();
    },
  };
}
