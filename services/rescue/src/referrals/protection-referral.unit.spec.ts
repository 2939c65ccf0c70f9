// Referrals to protection as a specification: persons the case knows, named, each person's
// referral apart from the others', never someone already handed over abroad. They are issued like
// any referral (IssueReferral); rescue's guard holds these rules.
import { describe, it } from 'vitest';
import { newId } from '@nrm/contracts';
import { DomainRuleError, IllegalStateError, NotFoundError } from '@nrm/service-kit';
import type { DomainEvent } from '@nrm/service-kit';
import { cmd, handoverFacts, handoverPlanned, handoverScheduled, inHand, listed, referralReceived, returnReceived, spec } from '../testing/rescue-fixtures.ts';

const [first, second, child] = [newId(), newId(), newId()];
const returned = [returnReceived(newId(), [listed(first), listed(second), listed(child, { ageGroup: '12-15', child: true })])];
const toProtection = (personId: string, changes: Record<string, unknown> = {}) => ({ referralId: newId(), to: 'protection', kind: 'protection', priority: 'normal', involvesChild: false, personId, summary: 'returned from Cambodia at Mộc Bài', acceptBy: '2026-11-24T10:00:00.000Z', ...changes });
const issued = (data: Record<string, unknown>): DomainEvent => ({ type: 'rescue.ReferralIssued', data });

describe('rescue: referring a person to protection', () => {
  it('refers each person it holds, one referral each', () => {
    const one = toProtection(first);
    const two = toProtection(second, { kind: 'support' });
    spec.given(returned).when(cmd('IssueReferral', one)).then([issued(one)]);
    spec.given([...returned, issued(one)]).when(cmd('IssueReferral', two)).then([issued(two)]);
    spec.given([...returned, issued(one)]).when(cmd('IssueReferral', toProtection(first))).thenThrows(IllegalStateError, 'referral-already-open');
    spec.given([...returned, issued(one)]).when(cmd('IssueReferral', toProtection(second, { referralId: one.referralId }))).thenThrows(IllegalStateError, 'referral-id-taken');
  });

  it('says so when the person is a child', () => {
    spec.given(returned).when(cmd('IssueReferral', toProtection(child))).thenThrows(DomainRuleError, 'child-not-flagged');
    const flagged = toProtection(child, { involvesChild: true });
    spec.given(returned).when(cmd('IssueReferral', flagged)).then([issued(flagged)]);
  });

  it('only to protection, for protection or support', () => {
    spec.given(returned).when(cmd('IssueReferral', toProtection(first, { to: 'reintegration', kind: 'reintegration' }))).thenThrows(DomainRuleError, 'referral-not-onward');
    spec.given(returned).when(cmd('IssueReferral', toProtection(first, { kind: 'rescue' }))).thenThrows(DomainRuleError, 'referral-kind-mismatch');
  });

  it('only persons the case knows and still has in the country', () => {
    spec.given(returned).when(cmd('IssueReferral', toProtection(newId()))).thenThrows(DomainRuleError, 'person-unknown');
    const handoverId = newId();
    const handedOver = [...returned, handoverPlanned(handoverId, [first]), handoverScheduled(handoverId, [first]), { type: 'rescue.HandoverCompleted', data: { ...handoverFacts(handoverId, [first]), date: '2026-12-03', receivedBy: 'Vientiane police' } }];
    spec.given(handedOver).when(cmd('IssueReferral', toProtection(first))).thenThrows(DomainRuleError, 'person-handed-over');
  });

  it('only in a case rescue holds, and never the whole case: a referral names the person', () => {
    spec.given([]).when(cmd('IssueReferral', toProtection(first))).thenThrows(NotFoundError);
    spec.given([referralReceived()]).when(cmd('IssueReferral', toProtection(first))).thenThrows(IllegalStateError, 'no-accepted-referral');
    const { personId: _personId, ...caseReferral } = toProtection(first);
    spec.given([...inHand, ...returned]).when(cmd('IssueReferral', caseReferral)).thenThrows(DomainRuleError, 'person-required');
  });
});
