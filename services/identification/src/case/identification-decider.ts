// Identification's rules for a case (pure): verify presumed victims step by step once a referral
// was accepted, conclude once per person, and refer identified victims onward. Each command's
// rules live with its feature; this puts them together as the case's decider.
import type { AgencyDecider, ReferralBook } from '@nrm/agency-kit';
import { DomainRuleError } from '@nrm/service-kit';
import type { DomainEvent } from '@nrm/service-kit';
import { referPerson } from '../onward-referrals/onward-referral.ts';
import type { ReferPerson } from '../onward-referrals/onward-referral.ts';
import { recordVerificationStep } from '../verification/verification-step.ts';
import type { RecordVerificationStep } from '../verification/verification-step.ts';
import { identifyVictim, recordVictimNotIdentified } from '../victims/victim-conclusion.ts';
import type { IdentifyVictim, RecordVictimNotIdentified } from '../victims/victim-conclusion.ts';
import { evolveIdentificationCase, initialIdentificationCase } from './identification-case.ts';
import type { IdentificationCase } from './identification-case.ts';

export type IdentificationCommand = RecordVerificationStep | IdentifyVictim | RecordVictimNotIdentified | ReferPerson;


export const identificationDecider: AgencyDecider<IdentificationCommand, IdentificationCase> = {
  initialState: initialIdentificationCase,
  evolve: evolveIdentificationCase,

  decide(command, state, referrals: ReferralBook): DomainEvent[] {
    switch (command.type) {
      case 'RecordVerificationStep':
        return recordVerificationStep(command, state, referrals);
      case 'IdentifyVictim':
        return identifyVictim(command, state, referrals);
      case 'RecordVictimNotIdentified':
        return recordVictimNotIdentified(command, state, referrals);
      case 'ReferPerson':
        return referPerson(command, state, referrals);
      default: {
        const unknown: never = command;
        throw new Error(`unhandled identification command ${(unknown as { type: string }).type}`);
      }
    }
  },

  // The shared referral route refers a whole case; identification refers identified persons,
  // each through its own route (ReferPerson), where the accepted referral and the person are checked.
  guardReferral() {
    throw new DomainRuleError('person-required', 'identification refers persons, not cases: POST /cases/{caseId}/person-referrals');
  },
};
