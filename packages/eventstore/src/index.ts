export * from './errors.ts';
export * from './port.ts';
export { createSqliteEventStore } from './sqlite/sqlite-event-store.ts';
export type { SqliteEventStoreOptions } from './sqlite/sqlite-event-store.ts';
