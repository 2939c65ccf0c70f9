// What `nrm verify` may print about where it looked: never a password.
import { describe, expect, it } from 'vitest';
import { displayUrl } from './verify-backbone.ts';

describe('displayUrl', () => {
  it('hides the password of a PostgreSQL URL and keeps the schema', () => {
    expect(displayUrl('postgres://nrm:s3cret@db.example:5432/nrm?schema=rescue')).toBe('postgres://nrm:***@db.example:5432/nrm?schema=rescue');
    expect(displayUrl('postgresql://nrm:s3cret@db/nrm')).not.toContain('s3cret');
  });

  it('leaves URLs without a password as they are', () => {
    expect(displayUrl('postgres://nrm@db/nrm?schema=audit')).toBe('postgres://nrm@db/nrm?schema=audit');
    expect(displayUrl('sqlite:./data/nrm.db')).toBe('sqlite:./data/nrm.db');
  });
});
