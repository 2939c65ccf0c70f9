// Test support for agency services: a real in-process backbone, a bounded `eventually`, and an
// agency that only refers and receives referrals.
export * from './agency-test-app.ts';
export * from './referrals-only-service.ts';
