// What protection checks before it refers a case onward through the shared referral route
// (pure): the case is open, a referral names only the case's person, and a referral to
// reintegration names them and has their consent to reintegration in force: reintegration works
// with the person in their community, which they must have agreed to.
import { DomainRuleError } from '@nrm/service-kit';
import type { ReferralToIssue } from '@nrm/agency-kit';
import { activeCase, assertCasePerson } from '../case/protection-case.ts';
import type { ProtectionCase } from '../case/protection-case.ts';

export function guardProtectionReferral(state: ProtectionCase, referral: ReferralToIssue): void {
  const open = activeCase(state);
  if (referral.personId !== undefined) assertCasePerson(open, referral.personId);
  if (referral.to === 'reintegration' || referral.kind === 'reintegration') {
    if (!open.consent.inForce.reintegration) throw new DomainRuleError('no-reintegration-consent', 'record the person’s consent to reintegration before referring them to it');
    if (referral.personId === undefined) throw new DomainRuleError('person-required', 'a referral to reintegration names the person (personId)');
  }
}
