// Opens the read models' store beside the service's event store: the same SQLite file or
// PostgreSQL schema (so a backup holds both), or a SQLite file for EventStoreDB deployments.
import { join } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import type { EventStore } from '@nrm/eventstore';
import { parseStoreUrl } from '@nrm/eventstore';
import { createPostgresProjectionStore, createSqliteProjectionStore } from '@nrm/projections';
import type { ProjectionStore } from '@nrm/projections';

export async function openProjectionStore(storeUrl: string, store: EventStore, dataDir: string, postgresSchema: string): Promise<ProjectionStore> {
  const location = parseStoreUrl(storeUrl, { postgresSchema });
  if (location.kind === 'sqlite' && 'database' in store) return createSqliteProjectionStore({ database: (store as EventStore & { database: DatabaseSync }).database });
  if (location.kind === 'postgres') return createPostgresProjectionStore({ connectionString: location.connectionString }, location.schema);
  return createSqliteProjectionStore({ path: join(dataDir, `${postgresSchema}-projections.db`) });
}
