// Referring a person rescue holds to protection (chuyển tuyến) for safety and initial support,
// naming them so protection continues with the same personId. Not a person already handed over
// to their country; a child's referral must say so (it shortens protection's deadline).
import { decideReferral } from '@nrm/agency-kit';
import type { ReferralBook, ReferralCommand } from '@nrm/agency-kit';
import type { ReferralKind } from '@nrm/contracts';
import { DomainRuleError, IllegalStateError } from '@nrm/service-kit';
import type { Command, DomainEvent } from '@nrm/service-kit';
import { assertKnownPerson, caseInHand } from '../case/case-in-hand.ts';
import type { RescueCase } from '../case/rescue-case.ts';

type IssueReferral = Extract<ReferralCommand, { type: 'IssueReferral' }>;
export type ReferPerson = Command<'ReferPerson', IssueReferral['data'] & { personId: string }>;

/** What rescue refers a person to protection for. */
export const PROTECTION_KINDS: readonly ReferralKind[] = ['protection', 'support'];

/**
 * The referral slice allows one open referral per agency and kind in a case; a case holds
 * several persons, each referred on their own, so the slice decides on this person's referrals.
 */
function referralsAbout(referrals: ReferralBook, personId: string): ReferralBook {
  return Object.fromEntries(Object.entries(referrals).filter(([, record]) => record.direction === 'incoming' || record.personId === personId));
}

export function referPerson(command: ReferPerson, state: RescueCase, referrals: ReferralBook): DomainEvent[] {
  const open = caseInHand(state, referrals);
  const { personId, to, kind, involvesChild, referralId } = command.data;
  assertKnownPerson(open, referrals, personId);
  if (to !== 'protection') throw new DomainRuleError('referral-not-onward', `rescue refers persons to protection, not to ${to}`);
  if (!PROTECTION_KINDS.includes(kind)) throw new DomainRuleError('referral-kind-mismatch', `a referral to protection is for ${PROTECTION_KINDS.join(' or ')}, not ${kind}`);
  for (const handover of Object.values(open.handovers)) {
    if (handover.status === 'completed' && handover.completed.persons.some((person) => person.personId === personId)) {
      throw new DomainRuleError('person-handed-over', `person ${personId} was handed over to ${handover.completed.toCountry}`);
    }
  }
  if (open.persons[personId]?.listed.child && !involvesChild) throw new DomainRuleError('child-not-flagged', `person ${personId} is a child: the referral must say involvesChild`);
  if (referrals[referralId]) throw new IllegalStateError('referral-id-taken', `referral ${referralId} already exists in this case`);
  return decideReferral('rescue', { type: 'IssueReferral', data: command.data, metadata: command.metadata }, referralsAbout(referrals, personId));
}
