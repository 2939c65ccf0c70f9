import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { eventRegistry } from './catalog.ts';
import { newId } from './ids.ts';
import { EventRegistry, defineEvent } from './registry.ts';
import type { RecordedEvent } from './envelope.ts';

const v1 = z.strictObject({ reason: z.string() });
const v2 = z.strictObject({ reason: z.string(), code: z.string() });
const v3 = z.strictObject({ reason: z.object({ code: z.string(), note: z.string() }) });

const declined = defineEvent({
  agency: 'intake',
  name: 'TestDeclined',
  version: 3,
  schema: v3,
  description: 'test',
  upcasters: [
    { from: 2, schema: v2, upcast: (data) => ({ reason: { code: data.code, note: data.reason } }) },
    { from: 1, schema: v1, upcast: (data) => ({ ...data, code: 'other' }) },
  ],
});

describe('event registry', () => {
  const registry = new EventRegistry([declined]);

  it('lifts every older version to the current one, one step at a time', () => {
    expect(registry.check('intake.TestDeclined', 1, { reason: 'no room' })).toEqual({ ok: true, version: 3, data: { reason: { code: 'other', note: 'no room' } } });
    expect(registry.check('intake.TestDeclined', 2, { reason: 'no room', code: 'capacity' })).toMatchObject({ data: { reason: { code: 'capacity' } } });
    expect(registry.check('intake.TestDeclined', 3, { reason: { code: 'c', note: 'n' } })).toMatchObject({ ok: true });
  });

  it('names the rule a payload breaks', () => {
    expect(registry.check('intake.Nope', 1, {})).toMatchObject({ ok: false, rule: 'unknown-event-type' });
    expect(registry.check('intake.TestDeclined', 4, {})).toMatchObject({ ok: false, rule: 'unknown-schema-version' });
    expect(registry.check('intake.TestDeclined', 1, { reason: 3 })).toMatchObject({ ok: false, rule: 'invalid-payload', issues: [{ path: 'reason' }] });
    expect(registry.check('intake.TestDeclined', 3, { reason: { code: 'c', note: 'n' }, extra: 1 })).toMatchObject({ ok: false, rule: 'invalid-payload' });
  });

  it('upcasts stored events on read without touching their hash', () => {
    const stored = { id: newId(), type: 'intake.TestDeclined', schemaVersion: 1, data: { reason: 'r' }, hash: 'h' } as unknown as RecordedEvent;
    expect(registry.upcast(stored)).toMatchObject({ schemaVersion: 3, hash: 'h', data: { reason: { code: 'other', note: 'r' } } });
    expect(stored.schemaVersion).toBe(1);
  });

  it('refuses definitions with missing upcasters or a type registered twice', () => {
    expect(() => defineEvent({ agency: 'intake', name: 'X', version: 2, schema: v1, description: '' })).toThrow(/needs 1 upcasters/);
    expect(() => new EventRegistry([declined, declined])).toThrow(/registered twice/);
  });

  it('knows the referral lifecycle of every referral agency', () => {
    for (const agency of ['intake', 'identification', 'rescue', 'protection', 'reintegration']) {
      for (const name of ['ReferralIssued', 'ReferralReceived', 'ReferralAccepted', 'ReferralDeclined', 'ReferralCompleted', 'ReferralOverdue', 'ReferralWithdrawn', 'ReferralWithdrawalReceived']) {
        expect(eventRegistry.get(`${agency}.${name}`), `${agency}.${name}`).toBeDefined();
      }
    }
  });
});
