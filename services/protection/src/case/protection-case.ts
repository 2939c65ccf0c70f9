// The protection case (bảo vệ) as protection sees it: opened for one person from a referral it
// accepted, with that person's consent, shelter stays and support. It closes when protection
// reports the referral it was opened from completed. Folded from protection's own case stream.
import type { ProtectionCaseOpened } from '@nrm/contracts';
import { DomainRuleError, IllegalStateError, NotFoundError } from '@nrm/service-kit';
import type { DomainEvent } from '@nrm/service-kit';
import { NO_CONSENT, evolveConsent } from '../consent/consent.ts';
import type { ConsentFile, ConsentInForce, ConsentScope } from '../consent/consent.ts';
import { NO_SHELTER_STAYS, evolveShelter } from '../shelter/shelter.ts';
import type { ShelterFile } from '../shelter/shelter.ts';
import { NO_SUPPORT, evolveSupport } from '../support/support.ts';
import type { SupportFile } from '../support/support.ts';

export type OpenedProtectionCase = {
  status: 'open' | 'closed';
  opened: ProtectionCaseOpened;
  consent: ConsentFile;
  shelter: ShelterFile;
  support: SupportFile;
};

export type ProtectionCase = { status: 'none' } | OpenedProtectionCase;

export const initialProtectionCase = (): ProtectionCase => ({ status: 'none' });

export function evolveProtectionCase(state: ProtectionCase, event: DomainEvent): ProtectionCase {
  switch (event.type) {
    case 'protection.ProtectionCaseOpened':
      if (state.status !== 'none') return state;
      return { status: 'open', opened: event.data as ProtectionCaseOpened, consent: NO_CONSENT, shelter: NO_SHELTER_STAYS, support: NO_SUPPORT };
    case 'protection.ReferralCompleted':
      if (state.status === 'open' && (event.data as { referralId: string }).referralId === state.opened.referralId) return { ...state, status: 'closed' };
      return state;
    default:
      if (state.status === 'none') return state;
      return { ...state, consent: evolveConsent(state.consent, event), shelter: evolveShelter(state.shelter, event), support: evolveSupport(state.support, event) };
  }
}

/** The consent in force for a scope, or null: what any rule about sharing, handing over or referring the person reads. */
export function consentInForce(state: ProtectionCase, scope: ConsentScope): ConsentInForce | null {
  return state.status === 'none' ? null : state.consent.inForce[scope];
}

/** The case once opened, closed or not: some things stay possible after closing (withdrawing consent, leaving a shelter). */
export function openedCase(state: ProtectionCase): OpenedProtectionCase {
  if (state.status === 'none') throw new NotFoundError('no protection case was opened in this case');
  return state;
}

/** The case while it is open: new consent, shelter and support only then. */
export function activeCase(state: ProtectionCase): OpenedProtectionCase {
  const opened = openedCase(state);
  if (opened.status === 'closed') throw new IllegalStateError('case-closed', `the protection case was closed when referral ${opened.opened.referralId} was completed`);
  return opened;
}

/** Every command names the person; a case protects one, and their data is sealed under their own key. */
export function assertCasePerson(opened: OpenedProtectionCase, personId: string): void {
  if (personId !== opened.opened.personId) throw new DomainRuleError('person-mismatch', `person ${personId} is not the person this protection case was opened for`);
}
