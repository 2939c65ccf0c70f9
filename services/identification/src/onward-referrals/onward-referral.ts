// Referring an identified victim onward (chuyển tuyến): to rescue when they still need to be
// brought out, to protection for safety and initial support. A referral names the person, so the
// receiving agency continues with the same personId. Only an identified victim of a case in hand
// is referred, and a child's referral must say so (it shortens the receiver's acceptance
// deadline). The shared referral route issues it; these are identification's rules for it.
import type { ReferralBook, ReferralToIssue } from '@nrm/agency-kit';
import type { ReferralAgency, ReferralKind } from '@nrm/contracts';
import { DomainRuleError, IllegalStateError } from '@nrm/service-kit';
import { caseInHand, presumedVictim } from '../case/case-in-hand.ts';
import type { IdentificationCase } from '../case/identification-case.ts';

/** Where identification refers a victim onward, and for what. */
export const ONWARD_REFERRALS: Partial<Record<ReferralAgency, readonly ReferralKind[]>> = {
  rescue: ['rescue'],
  protection: ['protection', 'support'],
};

export function guardOnwardReferral(state: IdentificationCase, referral: ReferralToIssue, referrals: ReferralBook): void {
  const { personId } = referral;
  if (personId === undefined) throw new DomainRuleError('person-required', 'identification refers identified victims, not cases: name the person (personId)');
  const person = presumedVictim(caseInHand(state, referrals), personId);
  if (person.status === 'verifying') throw new IllegalStateError('victim-not-identified', `person ${personId} is not identified as a victim yet`);
  if (person.status === 'not-identified') throw new DomainRuleError('not-a-victim', `person ${personId} was found not to be a victim (${person.notIdentified.reason})`);
  const kinds = ONWARD_REFERRALS[referral.to];
  if (!kinds) throw new DomainRuleError('referral-not-onward', `identification refers victims onward to ${Object.keys(ONWARD_REFERRALS).join(' or ')}, not to ${referral.to}`);
  if (!kinds.includes(referral.kind)) throw new DomainRuleError('referral-kind-mismatch', `a referral to ${referral.to} is for ${kinds.join(' or ')}, not ${referral.kind}`);
  if (person.identified.child && !referral.involvesChild) throw new DomainRuleError('child-not-flagged', `person ${personId} is a child: the referral must say involvesChild`);
}
