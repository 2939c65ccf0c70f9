// The ProjectionStore on node:sqlite, normally on the event store's own connection (its
// `database`). node:sqlite is synchronous, so a unit of work is one blocking BEGIN IMMEDIATE …
// COMMIT with no await inside: the event store's group commits, which run on the same
// connection, can only happen before or after it, never within it.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { StatementSync } from 'node:sqlite';
import type { JsonValue } from '@nrm/contracts';
import { sqliteWriteTransaction } from '@nrm/eventstore';
import { assertCheckpoint, assertKey, assertPartition, assertProjectionName, assertTag, documentText, storedPlacement } from '../document-validation.ts';
import { ProjectionStoreClosedError } from '../errors.ts';
import { listQuery, pageOf } from '../list-query.ts';
import type { ListQuery } from '../list-query.ts';
import type { CountOptions, DocumentPlacement, ListOptions, ListPage, ProjectionCheckpoint, ProjectionDocument, ProjectionStore, ProjectionUnitOfWork } from '../projection-store.ts';
import { DOCUMENT_COLUMNS, documentFromRow } from '../stored-document.ts';
import type { DocumentRow } from '../stored-document.ts';
import { runSynchronousWork, transactionLifetime } from '../synchronous-work.ts';
import { SQLITE_PROJECTION_SCHEMA } from './schema.ts';

export type SqliteProjectionStoreOptions =
  /** A file of its own (or ':memory:'), opened in WAL mode and closed by `close()`. */
  | { path: string }
  /** The service's connection, usually the event store's `database`; left open by `close()`. */
  | { database: DatabaseSync };

export function createSqliteProjectionStore(options: SqliteProjectionStoreOptions): ProjectionStore {
  const owned = 'path' in options;
  if (owned && options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
  const db = owned ? new DatabaseSync(options.path, { timeout: 5_000 }) : options.database;
  if (owned) db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;');
  db.exec(SQLITE_PROJECTION_SCHEMA);
  let closed = false;

  const statements = {
    get: db.prepare(`SELECT ${DOCUMENT_COLUMNS} FROM projection_documents WHERE projection = ? AND key = ?`),
    upsert: db.prepare(
      `INSERT INTO projection_documents (projection, key, partition, sort_key, tags, doc) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (projection, key) DO UPDATE SET partition = excluded.partition, sort_key = excluded.sort_key, tags = excluded.tags, doc = excluded.doc`,
    ),
    deleteDocument: db.prepare('DELETE FROM projection_documents WHERE projection = ? AND key = ?'),
    insertTag: db.prepare('INSERT INTO projection_tags (projection, partition, tag, sort_key, key) VALUES (?, ?, ?, ?, ?)'),
    deleteTags: db.prepare('DELETE FROM projection_tags WHERE projection = ? AND key = ?'),
    checkpoint: db.prepare('SELECT position, version FROM projection_checkpoints WHERE projection = ?'),
    setCheckpoint: db.prepare(
      `INSERT INTO projection_checkpoints (projection, position, version, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (projection) DO UPDATE SET position = excluded.position, version = excluded.version, updated_at = excluded.updated_at`,
    ),
    countPartition: db.prepare('SELECT count(*) AS n FROM projection_documents WHERE projection = ? AND partition = ?'),
    countTag: db.prepare('SELECT count(*) AS n FROM projection_tags WHERE projection = ? AND partition = ? AND tag = ?'),
    resetDocuments: db.prepare('DELETE FROM projection_documents WHERE projection = ?'),
    resetTags: db.prepare('DELETE FROM projection_tags WHERE projection = ?'),
    resetCheckpoint: db.prepare('DELETE FROM projection_checkpoints WHERE projection = ?'),
  };
  const listStatements = new Map<string, StatementSync>();

  function assertOpen(): void {
    // The event store closes a shared connection when it closes; that ends this store too.
    if (closed || !db.isOpen) throw new ProjectionStoreClosedError('sqlite');
  }

  function readCheckpoint(projection: string): ProjectionCheckpoint | undefined {
    const row = statements.checkpoint.get(projection) as ProjectionCheckpoint | undefined;
    return row && { position: row.position, version: row.version };
  }

  function unitOfWork(projection: string): { tx: ProjectionUnitOfWork; end(): void } {
    const lifetime = transactionLifetime();
    let checkpoint = readCheckpoint(projection);
    const tx: ProjectionUnitOfWork = {
      get(key: string): ProjectionDocument | undefined {
        lifetime.assertActive();
        assertKey(key);
        const row = statements.get.get(projection, key) as DocumentRow | undefined;
        return row && documentFromRow(row);
      },
      put(key: string, doc: JsonValue, placement: DocumentPlacement): void {
        lifetime.assertActive();
        assertKey(key);
        const { partition, sortKey, tags } = storedPlacement(placement);
        const text = documentText(doc);
        statements.deleteTags.run(projection, key);
        statements.upsert.run(projection, key, partition, sortKey, JSON.stringify(tags), text);
        for (const tag of tags) statements.insertTag.run(projection, partition, tag, sortKey, key);
      },
      delete(key: string): void {
        lifetime.assertActive();
        assertKey(key);
        statements.deleteTags.run(projection, key);
        statements.deleteDocument.run(projection, key);
      },
      checkpoint(): ProjectionCheckpoint | undefined {
        lifetime.assertActive();
        return checkpoint && { ...checkpoint };
      },
      setCheckpoint(next: ProjectionCheckpoint): void {
        lifetime.assertActive();
        assertCheckpoint(next);
        statements.setCheckpoint.run(projection, next.position, next.version, new Date().toISOString());
        checkpoint = { position: next.position, version: next.version };
      },
    };
    return { tx, end: lifetime.end };
  }

  function listStatement(query: ListQuery): StatementSync {
    const direction = query.order === 'asc' ? 'ASC' : 'DESC';
    const [orEqual, strictly] = query.order === 'asc' ? ['>=', '>'] : ['<=', '<'];
    // The first term bounds the index range; the second drops the cursor's own sort key up to its key.
    const after = query.after ? ` AND o.sort_key ${orEqual} ? AND (o.sort_key ${strictly} ? OR o.key ${strictly} ?)` : '';
    const sql =
      query.tag === undefined
        ? `SELECT ${DOCUMENT_COLUMNS} FROM projection_documents o
           WHERE o.projection = ? AND o.partition = ?${after} ORDER BY o.sort_key ${direction}, o.key ${direction} LIMIT ?`
        : `SELECT d.key, d.partition, d.sort_key, d.tags, d.doc FROM projection_tags o
           JOIN projection_documents d ON d.projection = o.projection AND d.key = o.key
           WHERE o.projection = ? AND o.partition = ? AND o.tag = ?${after} ORDER BY o.sort_key ${direction}, o.key ${direction} LIMIT ?`;
    let statement = listStatements.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      listStatements.set(sql, statement);
    }
    return statement;
  }

  return {
    name: 'sqlite',

    async transaction<T>(projection: string, work: (tx: ProjectionUnitOfWork) => T): Promise<T> {
      assertOpen();
      assertProjectionName(projection);
      // BEGIN IMMEDIATE takes the write lock up front, so a second process on the file makes this wait
      // (from the event loop) at the start instead of failing at its first write; inside a caller's
      // own transaction it nests as a savepoint of it.
      return sqliteWriteTransaction(
        db,
        () => {
          const unit = unitOfWork(projection);
          try {
            return runSynchronousWork(work, unit.tx);
          } finally {
            unit.end();
          }
        },
        { savepoint: 'projection_store', assertOpen },
      );
    },

    async get(projection: string, key: string): Promise<ProjectionDocument | undefined> {
      assertOpen();
      assertProjectionName(projection);
      assertKey(key);
      const row = statements.get.get(projection, key) as DocumentRow | undefined;
      return row && documentFromRow(row);
    },

    async list(projection: string, options: ListOptions): Promise<ListPage> {
      assertOpen();
      assertProjectionName(projection);
      const query = listQuery(options);
      const params: (string | number)[] = [projection, query.partition];
      if (query.tag !== undefined) params.push(query.tag);
      if (query.after) params.push(query.after.sortKey, query.after.sortKey, query.after.key);
      params.push(query.limit + 1);
      const rows = listStatement(query).all(...params) as DocumentRow[];
      return pageOf(rows.map(documentFromRow), query.limit);
    },

    async count(projection: string, options: CountOptions): Promise<number> {
      assertOpen();
      assertProjectionName(projection);
      assertPartition(options.partition);
      if (options.tag === undefined) return (statements.countPartition.get(projection, options.partition) as { n: number }).n;
      assertTag(options.tag);
      return (statements.countTag.get(projection, options.partition, options.tag) as { n: number }).n;
    },

    async checkpoint(projection: string): Promise<ProjectionCheckpoint | undefined> {
      assertOpen();
      assertProjectionName(projection);
      return readCheckpoint(projection);
    },

    async reset(projection: string): Promise<void> {
      assertOpen();
      assertProjectionName(projection);
      await sqliteWriteTransaction(
        db,
        () => {
          statements.resetTags.run(projection);
          statements.resetDocuments.run(projection);
          statements.resetCheckpoint.run(projection);
        },
        { savepoint: 'projection_store', assertOpen },
      );
    },

    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      if (owned && db.isOpen) db.close();
    },
  };
}
