// Finding what to verify without changing it: URLs as they may be printed, and refusing targets
// that opening would create (SQLite makes missing files and the archive makes its table).
import { existsSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { createPostgresArchiveStore, createSqliteArchiveStore } from '@nrm/audit';
import type { ArchiveStore } from '@nrm/audit';
import { parseStoreUrl } from '@nrm/eventstore';
import { VerifyTargetError } from './verify-types.ts';

/** The URL as it may be printed: without a password. */
export function displayUrl(url: string): string {
  if (!/^postgres(ql)?:/i.test(url)) return url;
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url.replace(/:[^:@/]*@/, ':***@');
  }
}

/** SQLite would create a missing file: a verification must never make up an empty log. */
export function assertSqliteFileExists(url: string, what: string): void {
  const location = parseStoreUrl(url);
  if (location.kind === 'sqlite' && location.path !== ':memory:' && !existsSync(location.path)) {
    throw new VerifyTargetError(`${what} ${url}: no such file`);
  }
}

/** Opening an archive creates its table; in a file that has none, that would be a write and an empty archive. */
function assertSqliteHoldsArchive(path: string, url: string): void {
  const database = new DatabaseSync(path, { readOnly: true });
  try {
    if (!database.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit_archive'").get()) {
      throw new VerifyTargetError(`${url} holds no audit archive: give --archive the audit service's store (the embedded nrm.db holds it)`);
    }
  } finally {
    database.close();
  }
}

/** A SQLite file on disk (not ':memory:'), which the verification reads itself, in parallel. */
export function sqliteFileOf(url: string, defaults: { postgresSchema?: string } = {}): string | null {
  const location = parseStoreUrl(url, defaults);
  return location.kind === 'sqlite' && location.path !== ':memory:' ? location.path : null;
}

export async function openArchiveAt(url: string): Promise<ArchiveStore> {
  const location = parseStoreUrl(url, { postgresSchema: 'audit' });
  switch (location.kind) {
    case 'sqlite':
      assertSqliteHoldsArchive(location.path, url);
      return createSqliteArchiveStore({ path: location.path });
    case 'postgres':
      return createPostgresArchiveStore({ connectionString: location.connectionString, schema: location.schema });
    case 'eventstoredb':
      throw new VerifyTargetError(`the archive is never in EventStoreDB: with an esdb store the audit service keeps it in sqlite:<data-dir>/audit-storage.db`);
  }
}
