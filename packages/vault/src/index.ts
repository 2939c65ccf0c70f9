// @nrm/vault: per-person data keys, personal fields sealed as AES-256-GCM envelopes, one
// `open` as the only way back to plaintext, and erasure by destroying a person's keys.
export * from './dev-master-key.ts';
export * from './errors.ts';
export type * from './field-access.ts';
export type * from './key-store.ts';
export * from './master-key.ts';
export * from './postgres-key-store.ts';
export * from './sqlite-key-store.ts';
export * from './vault.ts';
