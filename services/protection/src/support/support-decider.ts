// Safety measures and initial support (pure): both only while the case is open, and for its person.
import type { Command, DomainEvent } from '@nrm/service-kit';
import type { InitialSupportGiven, SafetyMeasureTaken } from '@nrm/contracts';
import { activeCase, assertCasePerson } from '../case/protection-case.ts';
import type { ProtectionCase } from '../case/protection-case.ts';

export type SupportCommand = Command<'TakeSafetyMeasure', SafetyMeasureTaken> | Command<'GiveInitialSupport', InitialSupportGiven>;

export function decideSupport(command: SupportCommand, state: ProtectionCase): DomainEvent[] {
  const open = activeCase(state);
  assertCasePerson(open, command.data.personId);
  switch (command.type) {
    case 'TakeSafetyMeasure':
      return [{ type: 'protection.SafetyMeasureTaken', data: { ...command.data } }];
    case 'GiveInitialSupport':
      return [{ type: 'protection.InitialSupportGiven', data: { ...command.data } }];
    default: {
      const unknown: never = command;
      throw new Error(`unhandled support command ${(unknown as { type: string }).type}`);
    }
  }
}
