// Test support for packages that use the contracts: valid example payloads and sealed envelopes
// that pass the schemas. Not part of the built package.
export * from './example-payloads.ts';
export * from './sealed-envelopes.ts';
export * from './rejected-paths.ts';
