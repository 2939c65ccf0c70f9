// Shelter rules (pure): admitted while the case is open and not already in a shelter;
// discharged only from the shelter the person is in. A discharge is taken after the case
// closed too: closing must never leave a person recorded in a shelter for good.
import { DomainRuleError, IllegalStateError } from '@nrm/service-kit';
import type { Command, DomainEvent } from '@nrm/service-kit';
import type { ShelterAdmitted, ShelterDischarged } from '@nrm/contracts';
import { activeCase, assertCasePerson, openedCase } from '../case/protection-case.ts';
import type { ProtectionCase } from '../case/protection-case.ts';
import { currentStay } from './shelter.ts';

export type ShelterCommand = Command<'AdmitToShelter', ShelterAdmitted> | Command<'DischargeFromShelter', ShelterDischarged>;

export function decideShelter(command: ShelterCommand, state: ProtectionCase): DomainEvent[] {
  switch (command.type) {
    case 'AdmitToShelter': {
      const open = activeCase(state);
      assertCasePerson(open, command.data.personId);
      const stay = currentStay(open.shelter);
      if (stay) throw new IllegalStateError('already-in-shelter', `the person is in shelter ${stay.admitted.shelter}; discharge them first (moved-to-another-shelter)`);
      return [{ type: 'protection.ShelterAdmitted', data: { ...command.data } }];
    }
    case 'DischargeFromShelter': {
      const opened = openedCase(state);
      assertCasePerson(opened, command.data.personId);
      const stay = currentStay(opened.shelter);
      if (!stay) throw new IllegalStateError('not-in-shelter', 'the person is not in a shelter');
      if (stay.admitted.shelter !== command.data.shelter) throw new DomainRuleError('shelter-mismatch', `the person is in shelter ${stay.admitted.shelter}, not ${command.data.shelter}`);
      return [{ type: 'protection.ShelterDischarged', data: { ...command.data } }];
    }
    default: {
      const unknown: never = command;
      throw new Error(`unhandled shelter command ${(unknown as { type: string }).type}`);
    }
  }
}
