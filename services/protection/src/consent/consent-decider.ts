// Consent rules (pure): consent is recorded while the case is open; it is withdrawn scope by
// scope, only where that consent is the one in force, and a withdrawal is taken even after
// the case closed, because the person's say over their data does not end with the case.
import { DomainRuleError, IllegalStateError } from '@nrm/service-kit';
import type { Command, DomainEvent } from '@nrm/service-kit';
import type { ConsentRecorded, ConsentWithdrawn } from '@nrm/contracts';
import { activeCase, assertCasePerson, openedCase } from '../case/protection-case.ts';
import type { ProtectionCase } from '../case/protection-case.ts';

export type ConsentCommand = Command<'RecordConsent', ConsentRecorded> | Command<'WithdrawConsent', ConsentWithdrawn>;

export function decideConsent(command: ConsentCommand, state: ProtectionCase): DomainEvent[] {
  switch (command.type) {
    case 'RecordConsent': {
      const open = activeCase(state);
      assertCasePerson(open, command.data.personId);
      if (open.consent.recorded.some((given) => given.consentId === command.data.consentId)) {
        throw new IllegalStateError('consent-id-taken', `consent ${command.data.consentId} is already recorded in this case`);
      }
      return [{ type: 'protection.ConsentRecorded', data: { ...command.data } }];
    }
    case 'WithdrawConsent': {
      const opened = openedCase(state);
      assertCasePerson(opened, command.data.personId);
      const { consentId, scopes } = command.data;
      if (!opened.consent.recorded.some((given) => given.consentId === consentId)) throw new DomainRuleError('consent-unknown', `no consent ${consentId} was recorded in this case`);
      const notInForce = scopes.filter((scope) => opened.consent.inForce[scope]?.consentId !== consentId);
      if (notInForce.length > 0) throw new IllegalStateError('consent-not-in-force', `consent ${consentId} is not the consent in force for ${notInForce.join(', ')}`);
      return [{ type: 'protection.ConsentWithdrawn', data: { ...command.data } }];
    }
    default: {
      const unknown: never = command;
      throw new Error(`unhandled consent command ${(unknown as { type: string }).type}`);
    }
  }
}
