// The KeyStore on node:sqlite. Its tables sit in the same SQLite file as the service's events,
// so one backup holds both and an erasure needs no second system to be reachable.
import { DatabaseSync } from 'node:sqlite';
import type { Ulid } from '@nrm/contracts';
import { sqliteWriteTransaction } from '@nrm/eventstore';
import { KeyStoreClosedError, SubjectErasedError } from './errors.ts';
import type { Erasure, KeyStore, NewDataKey, StoredDataKey } from './key-store.ts';

export type SqliteKeyStoreOptions = ({ path: string } | { database: DatabaseSync }) & {
  /** The time erasures and new keys are stamped with. */
  clock?: () => Date;
};

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS vault_keys (
    subject TEXT NOT NULL,
    kid TEXT NOT NULL,
    kek_id TEXT NOT NULL,
    wrapped BLOB NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (subject, kid)
  ) STRICT;
  CREATE TABLE IF NOT EXISTS vault_erasures (
    subject TEXT PRIMARY KEY,
    erased_at TEXT NOT NULL
  ) STRICT;
`;

type WaitingKey = { subject: Ulid; create: () => NewDataKey; resolve: (key: StoredDataKey) => void; reject: (error: unknown) => void };

type KeyRow = { subject: string; kid: string; kek_id: string; wrapped: Uint8Array; created_at: string };

export function createSqliteKeyStore(options: SqliteKeyStoreOptions): KeyStore {
  const owned = 'path' in options;
  const db = owned ? new DatabaseSync(options.path, { timeout: 5_000 }) : options.database;
  const clock = options.clock ?? (() => new Date());
  if (owned) db.exec('PRAGMA journal_mode = WAL');
  // Without it SQLite leaves a deleted wrapped key's bytes in free pages, and shredding would
  // depend on the KEK staying secret forever.
  db.exec('PRAGMA secure_delete = ON');
  db.exec(SCHEMA);

  const latestKey = db.prepare('SELECT * FROM vault_keys WHERE subject = ? ORDER BY kid DESC LIMIT 1');
  const keyById = db.prepare('SELECT * FROM vault_keys WHERE subject = ? AND kid = ?');
  const insertKey = db.prepare('INSERT INTO vault_keys (subject, kid, kek_id, wrapped, created_at) VALUES (?, ?, ?, ?, ?)');
  const erasureOf = db.prepare('SELECT erased_at FROM vault_erasures WHERE subject = ?');
  const recordErasure = db.prepare('INSERT INTO vault_erasures (subject, erased_at) VALUES (?, ?) ON CONFLICT (subject) DO NOTHING');
  const deleteKeys = db.prepare('DELETE FROM vault_keys WHERE subject = ?');
  let closed = false;
  let waiting: WaitingKey[] = [];

  function assertOpen(): void {
    if (closed) throw new KeyStoreClosedError('sqlite');
  }

  /** The subject's key, made if it still has none (checked under the write lock). */
  function newKeyRow(subject: Ulid, create: () => NewDataKey): StoredDataKey {
    if (erasureOf.get(subject)) throw new SubjectErasedError(subject);
    const raced = latestKey.get(subject) as KeyRow | undefined;
    if (raced) return toStoredKey(raced);
    const key = create();
    const createdAt = clock().toISOString();
    insertKey.run(subject, key.kid, key.kekId, key.wrapped, createdAt);
    return { subject, ...key, createdAt };
  }

  /** Every key asked for since the last turn, in one transaction; each request fails alone (an erased subject) or all do (the write failed). */
  function writeWaiting(): void {
    const batch = waiting;
    waiting = [];
    const made = sqliteWriteTransaction(
      db,
      () =>
        batch.map((request): { ok: true; key: StoredDataKey } | { ok: false; error: unknown } => {
          try {
            return { ok: true, key: newKeyRow(request.subject, request.create) };
          } catch (error) {
            return { ok: false, error };
          }
        }),
      { assertOpen },
    );
    made.then(
      (outcomes) => outcomes.forEach((outcome, at) => (outcome.ok ? batch[at]!.resolve(outcome.key) : batch[at]!.reject(outcome.error))),
      (error: unknown) => batch.forEach((request) => request.reject(error)),
    );
  }

  return {
    name: 'sqlite',

    async activeKey(subject: Ulid, create: () => NewDataKey): Promise<StoredDataKey> {
      assertOpen();
      // Inside a caller's own transaction the key is part of it, found or made now.
      if (db.isTransaction) return newKeyRow(subject, create);
      // New people's keys are made on the request path, one per tip under load: the keys asked for
      // in the same turn of the event loop are found or made in one transaction. No read first:
      // outside a transaction each read is a transaction of its own, and after another connection's
      // commit (the event writer's, hundreds a second under load) its pages come back from the WAL
      // one system call at a time; a read per new person cost 5.6% of the server, and found nothing.
      return new Promise((resolve, reject) => {
        waiting.push({ subject, create, resolve, reject });
        if (waiting.length === 1) setImmediate(writeWaiting);
      });
    },

    async keyById(subject: Ulid, kid: string): Promise<StoredDataKey | undefined> {
      assertOpen();
      const row = keyById.get(subject, kid) as KeyRow | undefined;
      return row && toStoredKey(row);
    },

    async erase(subject: Ulid): Promise<Erasure> {
      assertOpen();
      const inCallersTransaction = db.isTransaction;
      // BEGIN IMMEDIATE takes the write lock before reading, so a key being made by another
      // connection cannot slip in between; inside a caller's transaction, its commit makes this atomic.
      const erasure = await sqliteWriteTransaction(
        db,
        () => {
          recordErasure.run(subject, clock().toISOString());
          const keysDestroyed = Number(deleteKeys.run(subject).changes);
          const { erased_at } = erasureOf.get(subject) as { erased_at: string };
          return { subject, erasedAt: erased_at, keysDestroyed };
        },
        { assertOpen },
      );
      // The WAL still holds page images from before the delete; truncating it is what leaves
      // no copy of the wrapped key on disk. Best effort: a busy reader only delays it.
      if (!inCallersTransaction) db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
      return erasure;
    },

    async isErased(subject: Ulid): Promise<boolean> {
      assertOpen();
      return erasureOf.get(subject) !== undefined;
    },

    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      if (owned) db.close();
    },
  };
}

function toStoredKey(row: KeyRow): StoredDataKey {
  return { subject: row.subject, kid: row.kid, kekId: row.kek_id, wrapped: row.wrapped, createdAt: row.created_at };
}
