// Opens the EventStore a URL names, so every command and service takes one `--store` option:
//   sqlite:./data/intake.db   sqlite:/abs/path.db   sqlite::memory:
//   postgres://user@host:5432/db?schema=intake    (postgresql:// too)
//   esdb://host:2113?tls=false                    (kurrentdb:// too)
import { createEsdbEventStore } from './eventstoredb/esdb-event-store.ts';
import type { EventStore } from './port.ts';
import { createPostgresEventStore } from './postgres/postgres-event-store.ts';
import { SCHEMA_NAME } from './postgres/schema.ts';
import { createSqliteEventStore } from './sqlite/sqlite-event-store.ts';

export class StoreUrlError extends Error {
  override readonly name = 'StoreUrlError';
}

export type StoreLocation =
  | { kind: 'sqlite'; path: string }
  | { kind: 'postgres'; connectionString: string; schema: string }
  | { kind: 'eventstoredb'; connectionString: string };

export function parseStoreUrl(url: string, defaults: { postgresSchema?: string } = {}): StoreLocation {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  switch (scheme) {
    case 'sqlite': {
      const path = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
      if (path.length === 0) throw new StoreUrlError(`store URL ${url} names no file: use sqlite:./data/events.db`);
      return { kind: 'sqlite', path };
    }
    case 'postgres':
    case 'postgresql': {
      let parsed: URL;
      try {
        parsed = new URL(url);
      } catch {
        throw new StoreUrlError(`store URL ${url} is not a valid PostgreSQL URL`);
      }
      const schema = parsed.searchParams.get('schema') ?? defaults.postgresSchema ?? 'nrm';
      if (!SCHEMA_NAME.test(schema)) throw new StoreUrlError(`schema ${JSON.stringify(schema)} in ${url} must be lowercase letters, digits and _`);
      parsed.searchParams.delete('schema');
      return { kind: 'postgres', connectionString: parsed.toString(), schema };
    }
    case 'esdb':
    case 'esdb+discover':
    case 'kurrentdb':
    case 'kurrentdb+discover':
      return { kind: 'eventstoredb', connectionString: url.replace(/^kurrentdb/i, 'esdb') };
    default:
      throw new StoreUrlError(`unknown store URL scheme in ${JSON.stringify(url)}: use sqlite:<file>, postgres://… or esdb://…`);
  }
}

export async function openEventStore(url: string, defaults: { postgresSchema?: string } = {}): Promise<EventStore> {
  const location = parseStoreUrl(url, defaults);
  switch (location.kind) {
    case 'sqlite':
      return createSqliteEventStore({ path: location.path });
    case 'postgres':
      return createPostgresEventStore({ connectionString: location.connectionString, schema: location.schema });
    case 'eventstoredb':
      return createEsdbEventStore({ connectionString: location.connectionString });
  }
}
