// Follow-up visits (pure): recorded while the case is open, plan or no plan, since checking on
// the person comes first and is what shows a plan is needed or must change.
import type { Command, DomainEvent } from '@nrm/service-kit';
import type { FollowUpVisitMade } from '@nrm/contracts';
import { activeCase, assertCasePerson } from '../case/reintegration-case.ts';
import type { ReintegrationCase } from '../case/reintegration-case.ts';

export type FollowUpCommand = Command<'RecordFollowUpVisit', FollowUpVisitMade>;

export function decideFollowUp(command: FollowUpCommand, state: ReintegrationCase): DomainEvent[] {
  assertCasePerson(activeCase(state), command.data.personId);
  return [{ type: 'reintegration.FollowUpVisitMade', data: { ...command.data } }];
}
