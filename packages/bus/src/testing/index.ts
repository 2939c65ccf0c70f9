// Test support for Bus adapters: the conformance suite every adapter runs.
export * from './bus-conformance.ts';
