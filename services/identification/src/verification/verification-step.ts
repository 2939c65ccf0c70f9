// Recording a verification step (xác minh) about a presumed victim. The first step about someone
// introduces them: the service allocated their personId and says so with `newPerson`; every later
// step names a person the case already knows, until verification concludes for them.
import type { ReferralBook } from '@nrm/agency-kit';
import type { VerificationStepRecorded } from '@nrm/contracts';
import { IllegalStateError } from '@nrm/service-kit';
import type { Command, DomainEvent } from '@nrm/service-kit';
import { caseInHand, presumedVictim } from '../case/case-in-hand.ts';
import type { IdentificationCase } from '../case/identification-case.ts';

export type RecordVerificationStep = Command<'RecordVerificationStep', VerificationStepRecorded & { newPerson: boolean }>;

export function recordVerificationStep(command: RecordVerificationStep, state: IdentificationCase, referrals: ReferralBook): DomainEvent[] {
  const open = caseInHand(state, referrals);
  const { newPerson, ...step } = command.data;
  if (newPerson) {
    if (open.persons[step.personId]) throw new IllegalStateError('person-id-taken', `person ${step.personId} is already in this case`);
  } else {
    const person = presumedVictim(open, step.personId);
    if (person.status !== 'verifying') throw new IllegalStateError('verification-concluded', `verification of person ${step.personId} concluded: ${person.status}`);
  }
  return [{ type: 'identification.VerificationStepRecorded', data: { ...step } }];
}
