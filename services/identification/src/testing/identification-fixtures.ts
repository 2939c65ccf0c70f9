// Fixtures for identification's decider specifications: a case intake referred and identification
// accepted, events about one presumed victim, and commands with fixed metadata.
import { newId } from '@nrm/contracts';
import { sealedPerson } from '@nrm/contracts/testing';
import { caseDecider } from '@nrm/agency-kit';
import type { CommandMetadata, DomainEvent } from '@nrm/service-kit';
import { DeciderSpecification } from '@nrm/service-kit/testing';
import { identificationDecider } from '../case/identification-decider.ts';

export const spec = DeciderSpecification.for(caseDecider('identification', identificationDecider));

export const caseId = newId();
export const personId = newId();
export const intakeReferralId = newId();

const metadata = (): CommandMetadata => ({ commandId: newId(), now: '2026-11-23T10:00:00.000Z', actor: 'identification-officer', agency: 'identification', caseId, causationId: null, traceparent: null });
export const cmd = (type: string, data: unknown) => ({ type, data, metadata: metadata() }) as never;

export const referralReceived = (changes: Record<string, unknown> = {}): DomainEvent => ({
  type: 'identification.ReferralReceived',
  data: { referralId: intakeReferralId, issuedEventId: newId(), from: 'intake', kind: 'verification', priority: 'urgent', involvesChild: true, summary: 'two people, one minor, held near the border', acceptBy: '2026-11-23T14:00:00.000Z', ...changes },
});
export const referralAnswered = (answer: 'Accepted' | 'Declined' | 'Completed' | 'WithdrawalReceived', referralId = intakeReferralId): DomainEvent => ({ type: `identification.Referral${answer}`, data: { referralId, from: 'intake' } });

/** A case identification may work on: referred by intake and accepted. */
export const inHand: DomainEvent[] = [referralReceived(), referralAnswered('Accepted')];

export const stepData = { personId, step: 'interview', result: 'supports' } as const;
export const stepRecorded = (changes: Record<string, unknown> = {}): DomainEvent => ({ type: 'identification.VerificationStepRecorded', data: { ...stepData, ...changes } });

export const identifiedData = (who = personId, changes: Record<string, unknown> = {}) => ({
  personId: who,
  person: sealedPerson(who),
  sex: 'female',
  ageGroup: '16-17',
  child: true,
  nationality: 'VN',
  formsOfExploitation: ['forced-labour', 'forced-criminality'],
  exploitationCountry: 'KH',
  province: 'Nghệ An',
  ...changes,
});
export const victimIdentified = (who = personId, changes: Record<string, unknown> = {}): DomainEvent => ({ type: 'identification.VictimIdentified', data: identifiedData(who, changes) });

export const notIdentifiedData = { personId, reason: 'other-offence', province: 'Đắk Nông' } as const;
export const victimNotIdentified: DomainEvent = { type: 'identification.VictimNotIdentified', data: { ...notIdentifiedData } };
