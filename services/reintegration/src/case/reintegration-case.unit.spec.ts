// When a reintegration case exists, as a specification: it starts when reintegration accepts
// a referral naming the person; before that, every command is refused with the reason.
import { describe, it } from 'vitest';
import { DomainRuleError, IllegalStateError, NotFoundError } from '@nrm/service-kit';
import { accepted, closedCase, cmd, issuedEventId, openCase, otherPersonId, personId, plan, planAgreed, received, referralId, spec } from '../testing/given-reintegration-case.ts';

describe('reintegration: the case', () => {
  it('starts from an accepted referral that names the person', () => {
    spec.given(openCase).when(cmd('AgreeReintegrationPlan', plan)).then([planAgreed]);
  });

  it('does not exist without a referral', () => {
    spec.given([]).when(cmd('AgreeReintegrationPlan', plan)).thenThrows(NotFoundError);
  });

  it('does not start before the referral is accepted, or after it was declined', () => {
    spec.given([received()]).when(cmd('AgreeReintegrationPlan', plan)).thenThrows(DomainRuleError, 'no-accepted-referral');
    const declined = { type: 'reintegration.ReferralDeclined', data: { referralId, from: 'protection', reason: 'no-capacity' }, causationId: issuedEventId };
    spec.given([received(), declined]).when(cmd('AgreeReintegrationPlan', plan)).thenThrows(DomainRuleError, 'no-accepted-referral');
  });

  it('does not start from an accepted referral that names no one', () => {
    spec.given([received(null), accepted]).when(cmd('AgreeReintegrationPlan', plan)).thenThrows(DomainRuleError, 'referral-without-person');
  });

  it('is for the person the referral names', () => {
    spec.given(openCase).when(cmd('AgreeReintegrationPlan', { ...plan, personId: otherPersonId })).thenThrows(DomainRuleError, 'person-mismatch');
  });

  it('refers onward only while open, and only its person', () => {
    const onward = { referralId: issuedEventId, to: 'protection', kind: 'protection', priority: 'urgent', involvesChild: false, personId, summary: 'at risk again', acceptBy: '2026-11-23T16:00:00.000Z' };
    spec.given(openCase).when(cmd('IssueReferral', onward)).then([{ type: 'reintegration.ReferralIssued', data: onward }]);
    spec.given(openCase).when(cmd('IssueReferral', { ...onward, personId: otherPersonId })).thenThrows(DomainRuleError, 'person-mismatch');
    spec.given([received()]).when(cmd('IssueReferral', onward)).thenThrows(DomainRuleError, 'no-accepted-referral');
    spec.given(closedCase).when(cmd('IssueReferral', onward)).thenThrows(IllegalStateError, 'case-closed');
  });
});
