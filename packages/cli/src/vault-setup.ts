// Opens the vault beside the service's event store: its data keys live in the same database
// (the SQLite file or the PostgreSQL schema), so a backup of one is a backup of both. An
// EventStoreDB deployment keeps them in a SQLite file in the data directory.
import { join } from 'node:path';
import type { EventStore } from '@nrm/eventstore';
import { parseStoreUrl } from '@nrm/eventstore';
import { MASTER_KEY_ENV, createPostgresKeyStore, createSqliteKeyStore, createVault, loadOrCreateDevMasterKey, masterKeyFromEnv } from '@nrm/vault';
import type { KeyStore, Vault } from '@nrm/vault';
import type { DatabaseSync } from 'node:sqlite';

export async function openVault(storeUrl: string, store: EventStore, dataDir: string, postgresSchema: string): Promise<{ vault: Vault; keyStore: KeyStore; devMasterKey: boolean }> {
  const location = parseStoreUrl(storeUrl, { postgresSchema });
  let keyStore: KeyStore;
  if (location.kind === 'sqlite' && 'database' in store) {
    keyStore = createSqliteKeyStore({ database: (store as EventStore & { database: DatabaseSync }).database });
  } else if (location.kind === 'postgres') {
    keyStore = await createPostgresKeyStore({ connectionString: location.connectionString, schema: location.schema });
  } else {
    keyStore = createSqliteKeyStore({ path: join(dataDir, `${postgresSchema}-vault.db`) });
  }
  const devMasterKey = !process.env[MASTER_KEY_ENV];
  const masterKey = devMasterKey ? await loadOrCreateDevMasterKey(dataDir) : masterKeyFromEnv();
  return { vault: createVault({ ...masterKey, keyStore }), keyStore, devMasterKey };
}
