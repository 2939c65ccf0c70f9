// Onward referrals as a specification: only an identified victim, named, to rescue or protection,
// flagged when a child; each person's referrals apart from the others'. They are issued like any
// referral (IssueReferral); identification's guard holds these rules.
import { describe, it } from 'vitest';
import { newId } from '@nrm/contracts';
import { DomainRuleError, IllegalStateError, NotFoundError } from '@nrm/service-kit';
import type { DomainEvent } from '@nrm/service-kit';
import { cmd, inHand, personId, referralAnswered, referralReceived, spec, stepRecorded, victimIdentified, victimNotIdentified } from '../testing/identification-fixtures.ts';

const toRescue = (who = personId, changes: Record<string, unknown> = {}) => ({ referralId: newId(), to: 'rescue', kind: 'rescue', priority: 'urgent', involvesChild: true, personId: who, summary: 'identified victim still held in a scam compound', acceptBy: '2026-11-23T12:00:00.000Z', ...changes });
const issued = (data: Record<string, unknown>): DomainEvent => ({ type: 'identification.ReferralIssued', data });
const identified = [...inHand, stepRecorded(), victimIdentified()];

describe('identification: referring a victim onward', () => {
  it('refers an identified victim to rescue, naming them', () => {
    const referral = toRescue();
    spec.given(identified).when(cmd('IssueReferral', referral)).then([issued(referral)]);
  });

  it('refers to protection for protection or support, also after the intake referral was completed', () => {
    const referral = toRescue(personId, { to: 'protection', kind: 'support' });
    spec.given([...identified, referralAnswered('Completed')]).when(cmd('IssueReferral', referral)).then([issued(referral)]);
  });

  it('only an identified victim, whom the case knows', () => {
    spec.given([...inHand, stepRecorded()]).when(cmd('IssueReferral', toRescue())).thenThrows(IllegalStateError, 'victim-not-identified');
    spec.given([...inHand, stepRecorded(), victimNotIdentified]).when(cmd('IssueReferral', toRescue())).thenThrows(DomainRuleError, 'not-a-victim');
    spec.given(identified).when(cmd('IssueReferral', toRescue(newId()))).thenThrows(DomainRuleError, 'person-unknown');
  });

  it('only onward, to rescue or protection, for what that agency does', () => {
    spec.given(identified).when(cmd('IssueReferral', toRescue(personId, { to: 'reintegration', kind: 'reintegration' }))).thenThrows(DomainRuleError, 'referral-not-onward');
    spec.given(identified).when(cmd('IssueReferral', toRescue(personId, { to: 'intake', kind: 'verification' }))).thenThrows(DomainRuleError, 'referral-not-onward');
    spec.given(identified).when(cmd('IssueReferral', toRescue(personId, { kind: 'protection' }))).thenThrows(DomainRuleError, 'referral-kind-mismatch');
  });

  it("says so when the victim is a child (the receiver's deadline is shorter)", () => {
    spec.given(identified).when(cmd('IssueReferral', toRescue(personId, { involvesChild: false }))).thenThrows(DomainRuleError, 'child-not-flagged');
    const adult = victimIdentified(personId, { ageGroup: '25-34', child: false });
    const referral = toRescue(personId, { involvesChild: false });
    spec.given([...inHand, stepRecorded(), adult]).when(cmd('IssueReferral', referral)).then([issued(referral)]);
  });

  it('keeps one open referral per person and agency, each person apart', () => {
    const first = toRescue();
    const other = newId();
    const both = [...identified, issued(first), stepRecorded({ personId: other }), victimIdentified(other)];
    spec.given(both).when(cmd('IssueReferral', toRescue())).thenThrows(IllegalStateError, 'referral-already-open');
    const otherReferral = toRescue(other);
    spec.given(both).when(cmd('IssueReferral', otherReferral)).then([issued(otherReferral)]);
    spec.given(both).when(cmd('IssueReferral', toRescue(other, { referralId: first.referralId }))).thenThrows(IllegalStateError, 'referral-id-taken');
  });

  it('needs an accepted referral for the case', () => {
    spec.given([]).when(cmd('IssueReferral', toRescue())).thenThrows(NotFoundError);
    spec.given([referralReceived({ personId }), stepRecorded()]).when(cmd('IssueReferral', toRescue())).thenThrows(IllegalStateError, 'no-accepted-referral');
  });

  it('never refers the whole case: a referral names the person', () => {
    const { personId: _personId, ...caseReferral } = toRescue();
    spec.given(identified).when(cmd('IssueReferral', caseReferral)).thenThrows(DomainRuleError, 'person-required');
  });
});
