// Read models kept from the global event log: the ProjectionStore port and its adapters, and the
// runtime that applies projections live, catches them up, and rebuilds them.
export * from './errors.ts';
export type * from './projection-store.ts';
export { MAX_LIST_LIMIT, encodeCursor } from './list-query.ts';
export { createSqliteProjectionStore } from './sqlite/sqlite-projection-store.ts';
export type { SqliteProjectionStoreOptions } from './sqlite/sqlite-projection-store.ts';
export { createPostgresProjectionStore } from './postgres/postgres-projection-store.ts';
export type { PostgresProjectionConnection } from './postgres/postgres-projection-store.ts';
export type { Projection } from './projection.ts';
export { runProjection } from './run-projection.ts';
export type { ProjectionErrorContext, ProjectionHandle, ProjectionState, ProjectionStatus, RunProjectionOptions } from './run-projection.ts';
export { catchUp, rebuildProjection } from './catch-up.ts';
export type { CatchUpOptions, CatchUpResult, RebuildResult } from './catch-up.ts';
