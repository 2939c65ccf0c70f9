// The referral lifecycle as a specification: given the case's events, when a command, then
// these events or this refusal (with the rule's name).
import { describe, it } from 'vitest';
import { newId } from '@nrm/contracts';
import { IllegalStateError, NotFoundError, DomainRuleError } from '@nrm/service-kit';
import type { CommandMetadata, DomainEvent } from '@nrm/service-kit';
import { DeciderSpecification } from '@nrm/service-kit/testing';
import { caseDecider } from './case-decider.ts';
import type { ReferralCommand } from './referral-decider.ts';

const decider = caseDecider<never, null>('identification', { initialState: () => null, evolve: (state) => state, decide: () => [] });
const spec = DeciderSpecification.for(decider);

const referralId = newId();
const issuedEventId = newId();
const metadata = (now = '2026-11-23T10:00:00.000Z'): CommandMetadata => ({ commandId: newId(), now, actor: 'officer', agency: 'identification', caseId: newId(), causationId: null, traceparent: null });
const command = <T extends ReferralCommand['type']>(type: T, data: Extract<ReferralCommand, { type: T }>['data'], now?: string) => ({ type, data, metadata: metadata(now) }) as Extract<ReferralCommand, { type: T }>;

const received: DomainEvent = {
  type: 'identification.ReferralReceived',
  data: { referralId, issuedEventId, from: 'intake', kind: 'verification', priority: 'normal', involvesChild: false, summary: 'tip 111', acceptBy: '2026-11-24T10:00:00.000Z' },
};
const accepted: DomainEvent = { type: 'identification.ReferralAccepted', data: { referralId, from: 'intake' }, causationId: issuedEventId };

describe('referral lifecycle (receiver side)', () => {
  it('records a referral received once; receiving it again decides nothing', () => {
    const data = received.data as Extract<ReferralCommand, { type: 'ReceiveReferral' }>['data'];
    spec.given([]).when(command('ReceiveReferral', { ...data })).then([received]);
    spec.given([received]).when(command('ReceiveReferral', { ...data })).then([]);
  });

  it('accepts a received referral, citing the ReferralIssued event as its cause', () => {
    spec.given([received]).when(command('AcceptReferral', { referralId })).then([accepted]);
  });

  it('refuses to accept twice, to accept after declining, and to accept what it never received', () => {
    spec.given([received, accepted]).when(command('AcceptReferral', { referralId })).thenThrows(IllegalStateError, 'referral-already-answered');
    const declined = { type: 'identification.ReferralDeclined', data: { referralId, from: 'intake', reason: 'no-capacity' }, causationId: issuedEventId };
    spec.given([received, declined]).when(command('AcceptReferral', { referralId })).thenThrows(IllegalStateError, 'referral-already-answered');
    spec.given([]).when(command('AcceptReferral', { referralId })).thenThrows(NotFoundError);
  });

  it('declines with a reason, and completes only what it accepted', () => {
    spec.given([received]).when(command('DeclineReferral', { referralId, reason: 'not-competent', note: 'wrong district' })).then([
      { type: 'identification.ReferralDeclined', data: { referralId, from: 'intake', reason: 'not-competent', note: 'wrong district' }, causationId: issuedEventId },
    ]);
    spec.given([received]).when(command('CompleteReferral', { referralId, outcome: 'done' })).thenThrows(IllegalStateError, 'referral-not-accepted');
    spec.given([received, accepted]).when(command('CompleteReferral', { referralId, outcome: 'victim identified' })).then([
      { type: 'identification.ReferralCompleted', data: { referralId, from: 'intake', outcome: 'victim identified' }, causationId: issuedEventId },
    ]);
  });

  it('marks an unanswered referral overdue once, and only after its deadline', () => {
    const overdue = { type: 'identification.ReferralOverdue', data: { referralId, from: 'intake', acceptBy: '2026-11-24T10:00:00.000Z' }, causationId: issuedEventId };
    spec.given([received]).when(command('MarkReferralOverdue', { referralId }, '2026-11-24T09:59:59.999Z')).then([]);
    spec.given([received]).when(command('MarkReferralOverdue', { referralId }, '2026-11-24T10:00:00.000Z')).then([overdue]);
    spec.given([received, overdue]).when(command('MarkReferralOverdue', { referralId }, '2026-11-25T10:00:00.000Z')).then([]);
    spec.given([received, accepted]).when(command('MarkReferralOverdue', { referralId }, '2026-11-25T10:00:00.000Z')).then([]);
  });

  it('an overdue referral can still be accepted', () => {
    const overdue = { type: 'identification.ReferralOverdue', data: { referralId, from: 'intake', acceptBy: '2026-11-24T10:00:00.000Z' }, causationId: issuedEventId };
    spec.given([received, overdue]).when(command('AcceptReferral', { referralId })).then([accepted]);
  });

  it('records a withdrawal once; a withdrawn referral can no longer be accepted', () => {
    const withdrawal = { type: 'identification.ReferralWithdrawalReceived', data: { referralId, from: 'intake', reason: 'duplicate tip' } };
    spec.given([received]).when(command('ReceiveReferralWithdrawal', { referralId, from: 'intake', reason: 'duplicate tip' })).then([withdrawal]);
    spec.given([received, withdrawal]).when(command('ReceiveReferralWithdrawal', { referralId, from: 'intake', reason: 'again' })).then([]);
    spec.given([received, withdrawal]).when(command('AcceptReferral', { referralId })).thenThrows(IllegalStateError, 'referral-withdrawn');
  });
});

describe('referral lifecycle (issuer side)', () => {
  const issue = (to: 'rescue' | 'identification', kind: 'rescue' | 'protection' = 'rescue', id = newId()) =>
    command('IssueReferral', { referralId: id, to, kind, priority: 'urgent', involvesChild: true, summary: 'victims held at karaoke bar', acceptBy: '2026-11-23T12:00:00.000Z' });

  it('issues a referral to another agency', () => {
    const issued = issue('rescue');
    spec.given([]).when(issued).then([{ type: 'identification.ReferralIssued', data: { ...issued.data } }]);
  });

  it('refuses a referral to itself, a reused id, and a second open referral of the same kind to the same agency', () => {
    spec.given([]).when(issue('identification')).thenThrows(DomainRuleError, 'referral-to-self');
    const first = issue('rescue');
    const issued = { type: 'identification.ReferralIssued', data: { ...first.data } };
    spec.given([issued]).when(first).thenThrows(IllegalStateError, 'referral-id-taken');
    spec.given([issued]).when(issue('rescue')).thenThrows(IllegalStateError, 'referral-already-open');
    const otherKind = issue('rescue', 'protection');
    spec.given([issued]).when(otherKind).then([{ type: 'identification.ReferralIssued', data: { ...otherKind.data } }]);
  });

  it('keeps one open referral per person: another person of the case, or the case itself, may still be referred', () => {
    const [first, second] = [newId(), newId()];
    const about = (personId?: string, id = newId()) => command('IssueReferral', { ...issue('rescue', 'protection', id).data, ...(personId ? { personId } : {}) });
    const firstReferral = about(first);
    const issued = { type: 'identification.ReferralIssued', data: { ...firstReferral.data } };
    spec.given([issued]).when(about(first)).thenThrows(IllegalStateError, 'referral-already-open');
    const secondReferral = about(second);
    spec.given([issued]).when(secondReferral).then([{ type: 'identification.ReferralIssued', data: { ...secondReferral.data } }]);
    const caseReferral = about();
    spec.given([issued]).when(caseReferral).then([{ type: 'identification.ReferralIssued', data: { ...caseReferral.data } }]);
    const caseIssued = { type: 'identification.ReferralIssued', data: { ...caseReferral.data } };
    spec.given([caseIssued]).when(about()).thenThrows(IllegalStateError, 'referral-already-open');
    spec.given([caseIssued]).when(firstReferral).then([issued]);
  });

  it('lets a person be referred again once their earlier referral is settled', () => {
    const person = newId();
    const first = command('IssueReferral', { ...issue('rescue', 'protection').data, personId: person });
    const issued = { type: 'identification.ReferralIssued', data: { ...first.data } };
    const withdrawn = { type: 'identification.ReferralWithdrawn', data: { referralId: first.data.referralId, to: 'rescue', reason: 'wrong team' } };
    const again = command('IssueReferral', { ...issue('rescue', 'protection').data, personId: person });
    spec.given([issued, withdrawn]).when(again).then([{ type: 'identification.ReferralIssued', data: { ...again.data } }]);
  });

  it('withdraws an issued referral once', () => {
    const first = issue('rescue');
    const issued = { type: 'identification.ReferralIssued', data: { ...first.data } };
    const withdrawn = { type: 'identification.ReferralWithdrawn', data: { referralId: first.data.referralId, to: 'rescue', reason: 'wrong agency' } };
    spec.given([issued]).when(command('WithdrawReferral', { referralId: first.data.referralId, reason: 'wrong agency' })).then([withdrawn]);
    spec.given([issued, withdrawn]).when(command('WithdrawReferral', { referralId: first.data.referralId, reason: 'again' })).thenThrows(IllegalStateError, 'referral-withdrawn');
    spec.given([]).when(command('WithdrawReferral', { referralId: newId(), reason: 'x' })).thenThrows(NotFoundError);
  });
});
