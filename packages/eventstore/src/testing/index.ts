// Test support other packages use: the conformance suite (for new adapters) and valid events.
export * from './conformance.ts';
export * from './postgres-test-url.ts';
export * from './test-events.ts';
