// The given-events reintegration's decider specifications start from: protection's referral of
// one person received and accepted (the case open), a plan agreed, and the case closed.
import { newId } from '@nrm/contracts';
import type { ReintegrationPlanAgreed } from '@nrm/contracts';
import { caseDecider } from '@nrm/agency-kit';
import type { CommandMetadata, DomainEvent } from '@nrm/service-kit';
import { DeciderSpecification } from '@nrm/service-kit/testing';
import { reintegrationDecider } from '../case/reintegration-decider.ts';

export const spec = DeciderSpecification.for(caseDecider('reintegration', reintegrationDecider));

export const caseId = newId();
export const personId = newId();
export const otherPersonId = newId();
export const referralId = newId();
export const issuedEventId = newId();

const metadata = (): CommandMetadata => ({ commandId: newId(), now: '2026-11-23T10:00:00.000Z', actor: 'reintegration-officer', agency: 'reintegration', caseId, causationId: null, traceparent: null });
export const cmd = (type: string, data: unknown) => ({ type, data, metadata: metadata() }) as never;

/** Protection's referral as reintegration filed it; `named` is the person it names, if any. */
export const received = (named: string | null = personId): DomainEvent => ({
  type: 'reintegration.ReferralReceived',
  data: { referralId, issuedEventId, from: 'protection', kind: 'reintegration', priority: 'normal', involvesChild: false, ...(named ? { personId: named } : {}), summary: 'ready to go home to Hà Tĩnh', acceptBy: '2026-11-24T10:00:00.000Z' },
});
export const accepted: DomainEvent = { type: 'reintegration.ReferralAccepted', data: { referralId, from: 'protection' }, causationId: issuedEventId };
export const openCase: DomainEvent[] = [received(), accepted];

export const plan: ReintegrationPlanAgreed = { personId, province: 'Hà Tĩnh', supports: ['vocational-training', 'psychosocial'], agreedWith: 'person', reviewBy: '2027-03-01' };
export const planAgreed: DomainEvent = { type: 'reintegration.ReintegrationPlanAgreed', data: { ...plan } };
export const withPlan: DomainEvent[] = [...openCase, planAgreed];

export const closing = { personId, outcome: 'reintegrated' };
export const closed: DomainEvent = { type: 'reintegration.ReintegrationCaseClosed', data: { ...closing } };
export const closedCase: DomainEvent[] = [...withPlan, closed];
