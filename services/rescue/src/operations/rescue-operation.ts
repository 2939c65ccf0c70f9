// A rescue operation, in order: planned (and re-planned while it has not happened), executed
// once with what it achieved, then the persons it recovered recorded, never more of them than
// the operation reported and each person once.
import type { ReferralBook } from '@nrm/agency-kit';
import type { PersonsRecovered, RescueOperationExecuted, RescueOperationPlanned } from '@nrm/contracts';
import { DomainRuleError, IllegalStateError } from '@nrm/service-kit';
import type { Command, DomainEvent } from '@nrm/service-kit';
import { assertNotListed, caseInHand, rescueIn } from '../case/case-in-hand.ts';
import type { RescueCase } from '../case/rescue-case.ts';

export type PlanRescueOperation = Command<'PlanRescueOperation', RescueOperationPlanned>;
export type RecordRescueOperation = Command<'RecordRescueOperation', RescueOperationExecuted>;
export type RecordPersonsRecovered = Command<'RecordPersonsRecovered', PersonsRecovered>;

export function planRescueOperation(command: PlanRescueOperation, state: RescueCase, referrals: ReferralBook): DomainEvent[] {
  const rescue = rescueIn(caseInHand(state, referrals), command.data.rescueId);
  if (rescue.status === 'executed') throw new IllegalStateError('operation-already-executed', `the operation of rescue ${command.data.rescueId} already took place`);
  return [{ type: 'rescue.RescueOperationPlanned', data: { ...command.data } }];
}

export function recordRescueOperation(command: RecordRescueOperation, state: RescueCase, referrals: ReferralBook): DomainEvent[] {
  const rescue = rescueIn(caseInHand(state, referrals), command.data.rescueId);
  if (rescue.status === 'requested') throw new IllegalStateError('operation-not-planned', `plan the operation of rescue ${command.data.rescueId} before reporting it`);
  if (rescue.status === 'executed') throw new IllegalStateError('operation-already-executed', `the operation of rescue ${command.data.rescueId} was already reported`);
  return [{ type: 'rescue.RescueOperationExecuted', data: { ...command.data } }];
}

export function recordPersonsRecovered(command: RecordPersonsRecovered, state: RescueCase, referrals: ReferralBook): DomainEvent[] {
  const open = caseInHand(state, referrals);
  const rescue = rescueIn(open, command.data.rescueId);
  if (rescue.status !== 'executed') throw new IllegalStateError('operation-not-executed', `persons are recovered by an executed operation; rescue ${command.data.rescueId} is ${rescue.status}`);
  if (rescue.executed.outcome !== 'persons-recovered') throw new DomainRuleError('no-one-recovered', `the operation of rescue ${command.data.rescueId} reported ${rescue.executed.outcome}`);
  assertNotListed(open, command.data.persons.map((person) => person.personId));
  const total = rescue.recovered.length + command.data.persons.length;
  if (total > rescue.executed.personsRecovered) {
    throw new DomainRuleError('more-persons-than-recovered', `the operation recovered ${rescue.executed.personsRecovered} persons; ${total} would be recorded`);
  }
  return [{ type: 'rescue.PersonsRecovered', data: { ...command.data } }];
}
