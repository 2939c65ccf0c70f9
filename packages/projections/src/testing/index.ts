// Test support for adapters and for services with projections: the ProjectionStore conformance
// suite, a small example projection, and throwaway PostgreSQL schemas.
export * from './projection-store-conformance.ts';
export * from './events-per-stream-projection.ts';
export * from './postgres-test-schema.ts';
