import { describe, expect, it } from 'vitest';
import { exampleIds } from '../testing/example-payloads.ts';
import { exampleWith, rejectedPaths } from '../testing/rejected-paths.ts';
import { fakeSealed } from '../testing/sealed-envelopes.ts';

const { otherPerson } = exampleIds;
const check = (name: string, changes: Record<string, unknown>) => rejectedPaths(`protection.${name}`, exampleWith(`protection.${name}`, changes));

describe('protection events', () => {
  it('opens a case from a referral in a provincial unit', () => {
    expect(check('ProtectionCaseOpened', { referralId: undefined })).toEqual(['referralId']);
    expect(check('ProtectionCaseOpened', { province: 'Ho Chi Minh City' })).toEqual(['province']);
    expect(check('ProtectionCaseOpened', { province: 'Bình Dương' })).toEqual([]);
  });

  it('records consent per scope, each once, with the signed form sealed', () => {
    expect(check('ConsentRecorded', { scopes: [] })).toEqual(['scopes']);
    expect(check('ConsentRecorded', { scopes: ['handover', 'handover'] })).toEqual(['scopes.1']);
    expect(check('ConsentRecorded', { scopes: ['marketing'] })).toEqual(['scopes.0']);
    expect(check('ConsentRecorded', { document: 'scan-2025-08-01.pdf' })).toContain('document');
    expect(check('ConsentRecorded', { document: fakeSealed(otherPerson) })).toEqual(['document']);
    expect(check('ConsentWithdrawn', { consentId: undefined })).toEqual(['consentId']);
  });

  it('names a shelter only by its register code', () => {
    expect(check('ShelterAdmitted', { shelter: '12 Lê Lợi, Quận 1' })).toEqual(['shelter']);
    expect(check('ShelterDischarged', { reason: 'ran-away' })).toEqual(['reason']);
  });

  it('takes known safety measures and gives known kinds of initial support, each once', () => {
    expect(check('SafetyMeasureTaken', { measure: 'curfew' })).toEqual(['measure']);
    expect(check('InitialSupportGiven', { kinds: ['food', 'food'] })).toEqual(['kinds.1']);
    expect(check('InitialSupportGiven', { kinds: [] })).toEqual(['kinds']);
    expect(check('InitialSupportGiven', { amountVnd: -5 })).toEqual(['amountVnd']);
    expect(check('InitialSupportGiven', { amountVnd: 1.5 })).toEqual(['amountVnd']);
  });
});
