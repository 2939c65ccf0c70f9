// Where a service keeps tables of its own (the audit archive), beside its event store: the same
// SQLite connection or PostgreSQL schema, as the read models and the vault are (so a backup
// holds them all), or a SQLite file in the data directory for EventStoreDB deployments.
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { EventStore } from '@nrm/eventstore';
import { parseStoreUrl } from '@nrm/eventstore';
import type { ServiceStorage } from '@nrm/service-kit';

export function openServiceStorage(storeUrl: string, store: EventStore, dataDir: string, postgresSchema: string): { storage: ServiceStorage; close(): Promise<void> } {
  const location = parseStoreUrl(storeUrl, { postgresSchema });
  if (location.kind === 'sqlite' && 'database' in store) {
    return { storage: { kind: 'sqlite', database: (store as EventStore & { database: DatabaseSync }).database }, close: async () => undefined };
  }
  if (location.kind === 'postgres') {
    return { storage: { kind: 'postgres', connectionString: location.connectionString, schema: location.schema }, close: async () => undefined };
  }
  const database = new DatabaseSync(join(dataDir, `${postgresSchema}-storage.db`), { timeout: 5_000 });
  database.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;');
  return { storage: { kind: 'sqlite', database }, close: async () => database.close() };
}
