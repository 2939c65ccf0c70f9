// Referring an identified victim onward (chuyển tuyến): to rescue when they still need to be
// brought out, to protection for safety and initial support. A referral names the person, so the
// receiving agency continues with the same personId. Only an identified victim is referred, and a
// child's referral must say so (it shortens the receiver's acceptance deadline).
import { decideReferral } from '@nrm/agency-kit';
import type { ReferralBook, ReferralCommand } from '@nrm/agency-kit';
import type { ReferralAgency, ReferralKind } from '@nrm/contracts';
import { DomainRuleError, IllegalStateError } from '@nrm/service-kit';
import type { Command, DomainEvent } from '@nrm/service-kit';
import { caseInHand, presumedVictim } from '../case/case-in-hand.ts';
import type { IdentificationCase } from '../case/identification-case.ts';

type IssueReferral = Extract<ReferralCommand, { type: 'IssueReferral' }>;
export type ReferPerson = Command<'ReferPerson', IssueReferral['data'] & { personId: string }>;

/** Where identification refers a victim onward, and for what. */
export const ONWARD_REFERRALS: Partial<Record<ReferralAgency, readonly ReferralKind[]>> = {
  rescue: ['rescue'],
  protection: ['protection', 'support'],
};

function assertReferable(state: IdentificationCase, referrals: ReferralBook, referral: IssueReferral['data'] & { personId: string }): void {
  const person = presumedVictim(caseInHand(state, referrals), referral.personId);
  if (person.status === 'verifying') throw new IllegalStateError('victim-not-identified', `person ${referral.personId} is not identified as a victim yet`);
  if (person.status === 'not-identified') throw new DomainRuleError('not-a-victim', `person ${referral.personId} was found not to be a victim (${person.notIdentified.reason})`);
  const kinds = ONWARD_REFERRALS[referral.to];
  if (!kinds) throw new DomainRuleError('referral-not-onward', `identification refers victims onward to ${Object.keys(ONWARD_REFERRALS).join(' or ')}, not to ${referral.to}`);
  if (!kinds.includes(referral.kind)) throw new DomainRuleError('referral-kind-mismatch', `a referral to ${referral.to} is for ${kinds.join(' or ')}, not ${referral.kind}`);
  if (person.identified.child && !referral.involvesChild) throw new DomainRuleError('child-not-flagged', `person ${referral.personId} is a child: the referral must say involvesChild`);
}

/**
 * The referral slice allows one open referral per agency and kind in a case; a case holds
 * several persons, each referred on their own, so the slice decides on this person's referrals.
 */
function referralsAbout(referrals: ReferralBook, personId: string): ReferralBook {
  return Object.fromEntries(Object.entries(referrals).filter(([, record]) => record.direction === 'incoming' || record.personId === personId));
}

export function referPerson(command: ReferPerson, state: IdentificationCase, referrals: ReferralBook): DomainEvent[] {
  assertReferable(state, referrals, command.data);
  if (referrals[command.data.referralId]) throw new IllegalStateError('referral-id-taken', `referral ${command.data.referralId} already exists in this case`);
  return decideReferral('identification', { type: 'IssueReferral', data: command.data, metadata: command.metadata }, referralsAbout(referrals, command.data.personId));
}
