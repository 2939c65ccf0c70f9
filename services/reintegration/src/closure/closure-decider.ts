// Closing the case (pure): once, with an outcome; nothing is decided in a closed case after.
// Reporting the referral done to its issuer is the shared complete route, a step of its own.
import type { Command, DomainEvent } from '@nrm/service-kit';
import type { ReintegrationCaseClosed } from '@nrm/contracts';
import { activeCase, assertCasePerson } from '../case/reintegration-case.ts';
import type { ReintegrationCase } from '../case/reintegration-case.ts';

export type ClosureCommand = Command<'CloseReintegrationCase', ReintegrationCaseClosed>;

export function decideClosure(command: ClosureCommand, state: ReintegrationCase): DomainEvent[] {
  assertCasePerson(activeCase(state), command.data.personId);
  return [{ type: 'reintegration.ReintegrationCaseClosed', data: { ...command.data } }];
}
