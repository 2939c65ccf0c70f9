// Test support for services: decider specifications and tokens. Exported as
// `@nrm/service-kit/testing`, kept out of the production entry point and build.
export * from './decider-specification.ts';
export * from './test-auth.ts';
