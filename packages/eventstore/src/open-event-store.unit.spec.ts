import { describe, expect, it } from 'vitest';
import { StoreUrlError, parseStoreUrl } from './open-event-store.ts';

describe('store URLs', () => {
  it('reads sqlite paths, relative and absolute', () => {
    expect(parseStoreUrl('sqlite:./data/intake.db')).toEqual({ kind: 'sqlite', path: './data/intake.db' });
    expect(parseStoreUrl('sqlite:///var/lib/nrm/events.db')).toEqual({ kind: 'sqlite', path: '/var/lib/nrm/events.db' });
    expect(parseStoreUrl('sqlite::memory:')).toEqual({ kind: 'sqlite', path: ':memory:' });
  });

  it('takes the PostgreSQL schema from the URL, else the default', () => {
    expect(parseStoreUrl('postgres://u@h:5432/db?schema=intake')).toEqual({ kind: 'postgres', connectionString: 'postgres://u@h:5432/db', schema: 'intake' });
    expect(parseStoreUrl('postgresql://h/db', { postgresSchema: 'rescue' })).toMatchObject({ schema: 'rescue' });
  });

  it('accepts esdb and kurrentdb URLs', () => {
    expect(parseStoreUrl('esdb://h:2113?tls=false')).toEqual({ kind: 'eventstoredb', connectionString: 'esdb://h:2113?tls=false' });
    expect(parseStoreUrl('kurrentdb://h:2113')).toEqual({ kind: 'eventstoredb', connectionString: 'esdb://h:2113' });
  });

  it('names what is wrong with a bad URL', () => {
    expect(() => parseStoreUrl('mysql://h/db')).toThrow(/unknown store URL scheme/);
    expect(() => parseStoreUrl('./data/events.db')).toThrow(StoreUrlError);
    expect(() => parseStoreUrl('sqlite:')).toThrow(/names no file/);
    expect(() => parseStoreUrl('postgres://h/db?schema=Bad-Name')).toThrow(/schema/);
  });
});
