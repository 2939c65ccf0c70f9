// The backbone as a library, for end-to-end tests and embedding: compose and start it in-process.
export { startBackbone } from './backbone.ts';
export type { RunningBackbone } from './backbone.ts';
export { resolveStartConfig } from './config.ts';
export type { StartConfig } from './config.ts';
export { SERVICES, STANDALONE_PORTS } from './services.ts';
export { createBackboneClient } from './backbone-client.ts';
export type { BackboneClient } from './backbone-client.ts';
export { simulate, checkChain } from './scenario/simulation.ts';
export type { SimulationResult } from './scenario/simulation.ts';
export { runReferralChain } from './scenario/referral-chain.ts';
export { DEMO_STORY } from './scenario/case-story.ts';
