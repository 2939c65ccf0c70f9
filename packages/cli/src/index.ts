// The backbone as a library, for end-to-end tests and embedding: compose and start it in-process.
export { startBackbone } from './backbone.ts';
export type { RunningBackbone } from './backbone.ts';
export { resolveStartConfig } from './config.ts';
export type { StartConfig } from './config.ts';
export { SERVICES, STANDALONE_PORTS } from './services.ts';
