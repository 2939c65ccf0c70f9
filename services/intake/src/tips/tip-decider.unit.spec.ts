// Intake's tip rules as a specification: given the case's events, when a command, then events
// or a refusal naming the rule.
import { describe, it } from 'vitest';
import { newId } from '@nrm/contracts';
import type { SealedField, TipReceived } from '@nrm/contracts';
import { caseDecider } from '@nrm/agency-kit';
import { DomainRuleError, IllegalStateError, NotFoundError } from '@nrm/service-kit';
import type { CommandMetadata, DomainEvent } from '@nrm/service-kit';
import { DeciderSpecification } from '@nrm/service-kit/testing';
import { tipDecider } from './tip-decider.ts';

const spec = DeciderSpecification.for(caseDecider('intake', tipDecider));
const tipId = newId();
const sealed = (subject: string): SealedField => ({ sealed: 'nrm.v1', subject, kid: 'k1', alg: 'A256GCM', iv: 'AAAAAAAAAAAAAAAA', ct: 'c2VhbGVk', tag: 'BBBBBBBBBBBBBBBBBBBBBB' });
const metadata = (): CommandMetadata => ({ commandId: newId(), now: '2026-11-23T10:00:00.000Z', actor: 'hotline-operator', agency: 'intake', caseId: tipId, causationId: null, traceparent: null });
const cmd = (type: string, data: unknown) => ({ type, data, metadata: metadata() }) as never;

const tip: TipReceived = { tipId, channel: 'hotline-111', province: 'Quảng Ninh', allegedPlace: { country: 'KH' }, peopleCount: 2, minorCount: 1, statement: sealed(tipId) };
const received: DomainEvent = { type: 'intake.TipReceived', data: { ...tip } };
const classified: DomainEvent = { type: 'intake.TipClassified', data: { tipId, classification: 'suspected-trafficking', riskLevel: 'high' } };
const referralId = newId();
const referred: DomainEvent = { type: 'intake.ReferralIssued', data: { referralId, to: 'identification', kind: 'verification', priority: 'urgent', involvesChild: true, summary: 'two people, one minor, held near the border', acceptBy: '2026-11-23T14:00:00.000Z' } };

describe('intake: a tip', () => {
  it('is received once', () => {
    spec.given([]).when(cmd('ReceiveTip', tip)).then([received]);
    spec.given([received]).when(cmd('ReceiveTip', tip)).thenThrows(IllegalStateError, 'tip-already-received');
  });

  it('is classified, and may be reclassified while open', () => {
    spec.given([received]).when(cmd('ClassifyTip', { classification: 'suspected-trafficking', riskLevel: 'high' })).then([classified]);
    spec.given([received, classified]).when(cmd('ClassifyTip', { classification: 'forced-labour', riskLevel: 'medium' })).then([
      { type: 'intake.TipClassified', data: { tipId, classification: 'forced-labour', riskLevel: 'medium' } },
    ]);
  });

  it('cannot be classified before it was received', () => {
    spec.given([]).when(cmd('ClassifyTip', { classification: 'suspected-trafficking', riskLevel: 'high' })).thenThrows(NotFoundError);
  });

  it('is referred only once classified, and never when not trafficking', () => {
    const refer = cmd('IssueReferral', referred.data);
    spec.given([received]).when(refer).thenThrows(DomainRuleError, 'tip-not-classified');
    spec.given([received, { type: 'intake.TipClassified', data: { tipId, classification: 'not-trafficking', riskLevel: 'low' } }]).when(refer).thenThrows(DomainRuleError, 'not-trafficking');
    spec.given([received, classified]).when(refer).then([referred]);
  });

  it('is closed as referred only by a referral it issued', () => {
    spec.given([received, classified]).when(cmd('CloseTip', { outcome: 'referred', referralId: newId() })).thenThrows(DomainRuleError, 'referral-unknown');
    spec.given([received, classified, referred]).when(cmd('CloseTip', { outcome: 'referred', referralId })).then([
      { type: 'intake.TipClosed', data: { tipId, outcome: 'referred', referralId } },
    ]);
  });

  it('is closed once; a closed tip is neither reclassified nor referred', () => {
    const closed = { type: 'intake.TipClosed', data: { tipId, outcome: 'unfounded' } };
    spec.given([received]).when(cmd('CloseTip', { outcome: 'unfounded' })).then([closed]);
    spec.given([received, closed]).when(cmd('CloseTip', { outcome: 'unfounded' })).thenThrows(IllegalStateError, 'tip-closed');
    spec.given([received, closed]).when(cmd('ClassifyTip', { classification: 'suspected-trafficking', riskLevel: 'high' })).thenThrows(IllegalStateError, 'tip-closed');
    spec.given([received, classified, closed]).when(cmd('IssueReferral', referred.data)).thenThrows(IllegalStateError, 'tip-closed');
    spec.given([]).when(cmd('CloseTip', { outcome: 'unfounded' })).thenThrows(NotFoundError);
  });
});
