// Test support for agency services: a real in-process backbone and a bounded `eventually`.
export * from './agency-test-app.ts';
