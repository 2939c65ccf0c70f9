// Opens the archive in the storage the process gives the service: on its SQLite connection, or
// in its PostgreSQL schema on a pool of the archive's own.
import type { ServiceStorage } from '@nrm/service-kit';
import type { ArchiveStore } from './archive-store.ts';
import { createPostgresArchiveStore } from './postgres/postgres-archive-store.ts';
import { createSqliteArchiveStore } from './sqlite/sqlite-archive-store.ts';

export async function openArchive(storage: ServiceStorage): Promise<ArchiveStore> {
  switch (storage.kind) {
    case 'sqlite':
      return createSqliteArchiveStore({ database: storage.database });
    case 'postgres':
      return createPostgresArchiveStore({ connectionString: storage.connectionString, schema: storage.schema });
    default: {
      const _never: never = storage;
      throw new Error(`unknown storage ${JSON.stringify(_never)}`);
    }
  }
}
