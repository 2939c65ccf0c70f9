// Protection's rules for a case (pure), one feature per slice: opening, consent, shelter,
// safety and initial support, and the guard on referring onward.
import type { AgencyDecider, ReferralBook } from '@nrm/agency-kit';
import type { DomainEvent } from '@nrm/service-kit';
import { decideConsent } from '../consent/consent-decider.ts';
import type { ConsentCommand } from '../consent/consent-decider.ts';
import { guardProtectionReferral } from '../referrals/referral-guard.ts';
import { decideShelter } from '../shelter/shelter-decider.ts';
import type { ShelterCommand } from '../shelter/shelter-decider.ts';
import { decideSupport } from '../support/support-decider.ts';
import type { SupportCommand } from '../support/support-decider.ts';
import { decideOpening } from './opening-decider.ts';
import type { OpeningCommand } from './opening-decider.ts';
import { evolveProtectionCase, initialProtectionCase } from './protection-case.ts';
import type { ProtectionCase } from './protection-case.ts';

export type ProtectionCommand = OpeningCommand | ConsentCommand | ShelterCommand | SupportCommand;

export const protectionDecider: AgencyDecider<ProtectionCommand, ProtectionCase> = {
  initialState: initialProtectionCase,
  evolve: evolveProtectionCase,

  decide(command, state, referrals: ReferralBook): DomainEvent[] {
    switch (command.type) {
      case 'OpenProtectionCase':
        return decideOpening(command, state, referrals);
      case 'RecordConsent':
      case 'WithdrawConsent':
        return decideConsent(command, state);
      case 'AdmitToShelter':
      case 'DischargeFromShelter':
        return decideShelter(command, state);
      case 'TakeSafetyMeasure':
      case 'GiveInitialSupport':
        return decideSupport(command, state);
      default: {
        const unknown: never = command;
        throw new Error(`unhandled protection command ${(unknown as { type: string }).type}`);
      }
    }
  },

  guardReferral: guardProtectionReferral,
};
