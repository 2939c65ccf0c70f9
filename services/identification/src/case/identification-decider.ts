// Identification's rules for a case (pure): verify presumed victims step by step once a referral
// was accepted, conclude once per person, and refer identified victims onward. Each command's
// rules live with its feature; this puts them together as the case's decider.
import type { AgencyDecider, ReferralBook } from '@nrm/agency-kit';
import type { DomainEvent } from '@nrm/service-kit';
import { guardOnwardReferral } from '../onward-referrals/onward-referral.ts';
import { recordVerificationStep } from '../verification/verification-step.ts';
import type { RecordVerificationStep } from '../verification/verification-step.ts';
import { identifyVictim, recordVictimNotIdentified } from '../victims/victim-conclusion.ts';
import type { IdentifyVictim, RecordVictimNotIdentified } from '../victims/victim-conclusion.ts';
import { evolveIdentificationCase, initialIdentificationCase } from './identification-case.ts';
import type { IdentificationCase } from './identification-case.ts';

export type IdentificationCommand = RecordVerificationStep | IdentifyVictim | RecordVictimNotIdentified;

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
      default: {
        const unknown: never = command;
        throw new Error(`unhandled identification command ${(unknown as { type: string }).type}`);
      }
    }
  },

  guardReferral: guardOnwardReferral,
};
