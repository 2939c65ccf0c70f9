// Referring a person rescue holds to protection (chuyển tuyến) for safety and initial support,
// naming them so protection continues with the same personId. Not a person already handed over
// to their country; a child's referral must say so (it shortens protection's deadline). The
// shared referral route issues it; these are rescue's rules for it.
import type { ReferralBook, ReferralToIssue } from '@nrm/agency-kit';
import type { ReferralKind } from '@nrm/contracts';
import { DomainRuleError } from '@nrm/service-kit';
import { assertKnownPerson, caseInHand } from '../case/case-in-hand.ts';
import type { RescueCase } from '../case/rescue-case.ts';

/** What rescue refers a person to protection for. */
export const PROTECTION_KINDS: readonly ReferralKind[] = ['protection', 'support'];

export function guardProtectionReferral(state: RescueCase, referral: ReferralToIssue, referrals: ReferralBook): void {
  const { personId, to, kind, involvesChild } = referral;
  if (personId === undefined) throw new DomainRuleError('person-required', 'rescue refers the persons it holds, not cases: name the person (personId)');
  const open = caseInHand(state, referrals);
  assertKnownPerson(open, referrals, personId);
  if (to !== 'protection') throw new DomainRuleError('referral-not-onward', `rescue refers persons to protection, not to ${to}`);
  if (!PROTECTION_KINDS.includes(kind)) throw new DomainRuleError('referral-kind-mismatch', `a referral to protection is for ${PROTECTION_KINDS.join(' or ')}, not ${kind}`);
  for (const handover of Object.values(open.handovers)) {
    if (handover.status === 'completed' && handover.completed.persons.some((person) => person.personId === personId)) {
      throw new DomainRuleError('person-handed-over', `person ${personId} was handed over to ${handover.completed.toCountry}`);
    }
  }
  if (open.persons[personId]?.listed.child && !involvesChild) throw new DomainRuleError('child-not-flagged', `person ${personId} is a child: the referral must say involvesChild`);
}
