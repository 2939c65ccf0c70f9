export * from './case-decider.ts';
export * from './deadline-policy.ts';
export * from './referral-book.ts';
export * from './referral-decider.ts';
