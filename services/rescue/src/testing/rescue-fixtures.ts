// Fixtures for rescue's decider specifications: a case identification referred and rescue
// accepted, the events of a rescue, a return and a handover, and commands with fixed metadata.
import { newId } from '@nrm/contracts';
import { fakeSealed, sealedPerson } from '@nrm/contracts/testing';
import { caseDecider } from '@nrm/agency-kit';
import type { CommandMetadata, DomainEvent } from '@nrm/service-kit';
import { DeciderSpecification } from '@nrm/service-kit/testing';
import { rescueDecider } from '../case/rescue-decider.ts';

export const spec = DeciderSpecification.for(caseDecider('rescue', rescueDecider));

export const caseId = newId();
export const referralId = newId();
export const rescueId = newId();
export const referredPersonId = newId();

export const NOW = '2026-11-23T10:00:00.000Z';
const metadata = (now = NOW): CommandMetadata => ({ commandId: newId(), now, actor: 'rescue-officer', agency: 'rescue', caseId, causationId: null, traceparent: null });
export const cmd = (type: string, data: unknown, now?: string) => ({ type, data, metadata: metadata(now) }) as never;

export const referralReceived = (changes: Record<string, unknown> = {}): DomainEvent => ({
  type: 'rescue.ReferralReceived',
  data: { referralId, issuedEventId: newId(), from: 'identification', kind: 'rescue', priority: 'urgent', involvesChild: false, personId: referredPersonId, summary: 'identified victim held in a karaoke bar', acceptBy: '2026-11-23T12:00:00.000Z', ...changes },
});
export const referralAnswered = (answer: 'Accepted' | 'Declined' | 'Completed', id = referralId): DomainEvent => ({ type: `rescue.Referral${answer}`, data: { referralId: id, from: 'identification' } });

/** A case rescue may work on: referred by identification and accepted. */
export const inHand: DomainEvent[] = [referralReceived(), referralAnswered('Accepted')];

export const requestData = (changes: Record<string, unknown> = {}) => ({ rescueId, requestedBy: 'referral', referralId, country: 'VN', province: 'Lào Cai', locality: fakeSealed(rescueId), peopleCount: 2, minorCount: 1, urgency: 'critical', ...changes });
export const rescueRequested = (changes: Record<string, unknown> = {}): DomainEvent => ({ type: 'rescue.RescueRequested', data: requestData(changes) });

export const planData = (changes: Record<string, unknown> = {}) => ({ rescueId, plannedFor: '2026-11-24T22:00:00.000Z', country: 'VN', province: 'Lào Cai', forces: ['police', 'border-guard', 'social-workers'], ...changes });
export const operationPlanned = (changes: Record<string, unknown> = {}): DomainEvent => ({ type: 'rescue.RescueOperationPlanned', data: planData(changes) });

export const executionData = (changes: Record<string, unknown> = {}) => ({ rescueId, outcome: 'persons-recovered', personsRecovered: 2, minorsRecovered: 1, suspectsDetained: 1, ...changes });
export const operationExecuted = (changes: Record<string, unknown> = {}): DomainEvent => ({ type: 'rescue.RescueOperationExecuted', data: executionData(changes) });

export const listed = (personId = newId(), changes: Record<string, unknown> = {}) => ({ personId, person: sealedPerson(personId), sex: 'female', ageGroup: '25-34', child: false, nationality: 'VN', ...changes });
export const personsRecovered = (persons: readonly Record<string, unknown>[], id = rescueId): DomainEvent => ({ type: 'rescue.PersonsRecovered', data: { rescueId: id, persons } });

export const returnData = (handoverId: string, persons: readonly Record<string, unknown>[]) => ({ handoverId, fromCountry: 'KH', borderGate: 'Mộc Bài', province: 'Tây Ninh', foreignReference: 'KH-BVT-2026-31', persons });
export const returnReceived = (handoverId: string, persons: readonly Record<string, unknown>[]): DomainEvent => ({ type: 'rescue.ReturnFromAbroadReceived', data: returnData(handoverId, persons) });

export const profiled = (personId: string) => ({ personId, sex: 'female', ageGroup: '16-17', child: true, nationality: 'LA' });
export const handoverFacts = (handoverId: string, personIds: readonly string[]) => ({ handoverId, toCountry: 'LA', borderGate: 'Cầu Treo', persons: personIds.map(profiled), needs: ['escort', 'interpreter'] });
export const handoverPlanned = (handoverId: string, personIds: readonly string[]): DomainEvent => ({ type: 'rescue.HandoverPlanned', data: { ...handoverFacts(handoverId, personIds), date: '2026-12-01' } });
export const handoverScheduled = (handoverId: string, personIds: readonly string[]): DomainEvent => ({ type: 'rescue.HandoverScheduled', data: { ...handoverFacts(handoverId, personIds), date: '2026-12-03', counterpartReference: 'LA-BLK-77' } });
