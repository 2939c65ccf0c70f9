// The given-events protection's decider specifications start from: one person referred by rescue
// (received, accepted), the case opened for them, and the consent, shelter and closing events
// the features' rules depend on. Ids are fixed per test run; times are fixed.
import { newId } from '@nrm/contracts';
import type { ConsentRecorded } from '@nrm/contracts';
import { caseDecider } from '@nrm/agency-kit';
import { fold } from '@nrm/service-kit';
import type { CommandMetadata, DomainEvent } from '@nrm/service-kit';
import { DeciderSpecification } from '@nrm/service-kit/testing';
import { protectionDecider } from '../case/protection-decider.ts';
import type { ProtectionCase } from '../case/protection-case.ts';

export const spec = DeciderSpecification.for(caseDecider('protection', protectionDecider));

export const caseId = newId();
export const personId = newId();
export const otherPersonId = newId();
export const referralId = newId();
export const issuedEventId = newId();
export const consentId = newId();

const metadata = (): CommandMetadata => ({ commandId: newId(), now: '2026-11-23T10:00:00.000Z', actor: 'protection-officer', agency: 'protection', caseId, causationId: null, traceparent: null });
export const cmd = (type: string, data: unknown) => ({ type, data, metadata: metadata() }) as never;

/** Rescue's referral as protection filed it; `named` when rescue had identified the person. */
export const received = (named: string | null = personId): DomainEvent => ({
  type: 'protection.ReferralReceived',
  data: { referralId, issuedEventId, from: 'rescue', kind: 'protection', priority: 'urgent', involvesChild: true, ...(named ? { personId: named } : {}), summary: 'a girl of 16 recovered at the Mộc Bài gate', acceptBy: '2026-11-23T14:00:00.000Z' },
});
export const accepted: DomainEvent = { type: 'protection.ReferralAccepted', data: { referralId, from: 'rescue' }, causationId: issuedEventId };
export const opening = { personId, referralId, province: 'Tây Ninh', child: true };
export const opened: DomainEvent = { type: 'protection.ProtectionCaseOpened', data: { ...opening } };
export const openCase: DomainEvent[] = [received(), accepted, opened];
export const completed: DomainEvent = { type: 'protection.ReferralCompleted', data: { referralId, from: 'rescue', outcome: 'protected, referred to reintegration' }, causationId: issuedEventId };
export const closedCase: DomainEvent[] = [...openCase, completed];

export const consent = (scopes: ConsentRecorded['scopes'], id = consentId): ConsentRecorded => ({ personId, consentId: id, scopes, givenBy: 'parent-or-guardian', form: 'written' });
export const consentRecorded = (scopes: ConsentRecorded['scopes'], id = consentId): DomainEvent => ({ type: 'protection.ConsentRecorded', data: consent(scopes, id) });

export const shelterAdmission = { personId, shelter: 'TN-SPC-01', shelterKind: 'social-protection-centre', province: 'Tây Ninh' } as const;
export const admitted: DomainEvent = { type: 'protection.ShelterAdmitted', data: { ...shelterAdmission } };

/** The state the events fold to, for rules that read it (the consent in force). */
export const stateAfter = (events: readonly DomainEvent[]): ProtectionCase => fold(protectionDecider, events, protectionDecider.initialState());
