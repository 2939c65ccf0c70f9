// The service kit: what every backbone service is built from.
export * from './app.ts';
export * from './auth.ts';
export * from './command-handler.ts';
export * from './command-metadata.ts';
export * from './decider.ts';
export * from './dev-keys.ts';
export * from './errors.ts';
export * from './event-envelope.ts';
export * from './health.ts';
export * from './logging.ts';
export * from './principal.ts';
export * from './problem-details.ts';
export * from './problem-handler.ts';
export * from './revision-header.ts';
export * from './telemetry.ts';
export * from './token-verifier.ts';
export * from './trace-context.ts';
