// Opening a protection case as a specification: only from an accepted referral, once, and for
// the person the referral names.
import { describe, it } from 'vitest';
import { newId } from '@nrm/contracts';
import { DomainRuleError, IllegalStateError } from '@nrm/service-kit';
import { accepted, cmd, issuedEventId, opened, openCase, opening, otherPersonId, received, referralId, spec } from '../testing/given-protection-case.ts';

describe('protection: opening a case', () => {
  it('opens from an accepted referral, citing it and the person it names', () => {
    spec.given([received(), accepted]).when(cmd('OpenProtectionCase', opening)).then([opened]);
  });

  it('opens from an accepted referral that names no one yet, for the person the opening names', () => {
    spec.given([received(null), accepted]).when(cmd('OpenProtectionCase', opening)).then([opened]);
  });

  it('refuses without an accepted referral', () => {
    spec.given([]).when(cmd('OpenProtectionCase', opening)).thenThrows(DomainRuleError, 'no-accepted-referral');
    spec.given([received()]).when(cmd('OpenProtectionCase', opening)).thenThrows(DomainRuleError, 'no-accepted-referral');
    const declined = { type: 'protection.ReferralDeclined', data: { referralId, from: 'rescue', reason: 'no-capacity' }, causationId: issuedEventId };
    spec.given([received(), declined]).when(cmd('OpenProtectionCase', opening)).thenThrows(DomainRuleError, 'no-accepted-referral');
    spec.given([received(), accepted]).when(cmd('OpenProtectionCase', { ...opening, referralId: newId() })).thenThrows(DomainRuleError, 'no-accepted-referral');
  });

  it('refuses a referral protection issued itself', () => {
    const issued = { type: 'protection.ReferralIssued', data: { referralId, to: 'reintegration', kind: 'reintegration', priority: 'normal', involvesChild: true, summary: 'x', acceptBy: '2026-11-24T10:00:00.000Z' } };
    spec.given([issued]).when(cmd('OpenProtectionCase', opening)).thenThrows(DomainRuleError, 'no-accepted-referral');
  });

  it('refuses a person other than the one the referral names', () => {
    spec.given([received(), accepted]).when(cmd('OpenProtectionCase', { ...opening, personId: otherPersonId })).thenThrows(DomainRuleError, 'person-mismatch');
  });

  it('opens once', () => {
    spec.given(openCase).when(cmd('OpenProtectionCase', opening)).thenThrows(IllegalStateError, 'case-already-open');
  });
});
