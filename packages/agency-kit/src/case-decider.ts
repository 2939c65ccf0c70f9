// An agency's case aggregate: its own decider for what the agency does, composed with the
// shared referral slice. One stream per agency per case (`<agency>-case-<caseId>`). The agency's
// evolve sees every event, referral ones included (a protection case opens on an accepted
// referral); referral commands go to the shared slice after the agency's own guard.
import type { PersonalDataAccessed, ReferralAgency } from '@nrm/contracts';
import type { Command, Decider, DomainEvent } from '@nrm/service-kit';
import { EMPTY_REFERRAL_BOOK } from './referral-book.ts';
import type { ReferralBook } from './referral-book.ts';
import { decideReferral, evolveReferrals, isReferralCommand, isReferralEvent } from './referral-decider.ts';
import type { ReferralCommand, ReferralToIssue } from './referral-decider.ts';

export type CaseState<S> = { case: S; referrals: ReferralBook };

export type AgencyDecider<C extends Command, S> = {
  initialState(): S;
  evolve(state: S, event: DomainEvent): S;
  decide(command: C, state: S, referrals: ReferralBook): DomainEvent[];
  /**
   * The agency's own rules for issuing a referral (e.g. only once a tip is classified, only an
   * identified victim); the case's referrals are given so a rule can ask for an accepted one.
   */
  guardReferral?(state: S, referral: ReferralToIssue, referrals: ReferralBook): void;
};

export function caseStream(agency: ReferralAgency, caseId: string): string {
  return `${agency}-case-${caseId}`;
}

/** Records that an officer read sealed personal fields (personal-data-route.ts); the route checked the case exists. */
export type RecordPersonalDataAccess = Command<'RecordPersonalDataAccess', PersonalDataAccessed>;

export function caseDecider<C extends Command, S>(agency: ReferralAgency, own: AgencyDecider<C, S>): Decider<C | ReferralCommand | RecordPersonalDataAccess, DomainEvent, CaseState<S>> {
  return {
    initialState: () => ({ case: own.initialState(), referrals: EMPTY_REFERRAL_BOOK }),
    evolve: (state, event) => ({
      case: own.evolve(state.case, event),
      referrals: isReferralEvent(event) ? evolveReferrals(state.referrals, event) : state.referrals,
    }),
    decide: (command, state) => {
      if (command.type === 'RecordPersonalDataAccess') return [{ type: `${agency}.PersonalDataAccessed`, data: (command as RecordPersonalDataAccess).data }];
      if (isReferralCommand(command)) {
        if (command.type === 'IssueReferral') own.guardReferral?.(state.case, command.data, state.referrals);
        return decideReferral(agency, command, state.referrals);
      }
      return own.decide(command as C, state.case, state.referrals);
    },
  };
}
