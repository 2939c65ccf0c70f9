// Opening a protection case (pure): once per case, and only from a referral protection received
// and accepted in this case. When the referral names the person, the case is theirs; otherwise
// (an intake referral, before anyone was identified) the opening names the person.
import { DomainRuleError, IllegalStateError } from '@nrm/service-kit';
import type { Command, DomainEvent } from '@nrm/service-kit';
import type { ProtectionCaseOpened } from '@nrm/contracts';
import type { ReferralBook } from '@nrm/agency-kit';
import type { ProtectionCase } from './protection-case.ts';

export type OpeningCommand = Command<'OpenProtectionCase', ProtectionCaseOpened>;

export function decideOpening(command: OpeningCommand, state: ProtectionCase, referrals: ReferralBook): DomainEvent[] {
  if (state.status !== 'none') throw new IllegalStateError('case-already-open', `this case was already opened from referral ${state.opened.referralId}`);
  const { referralId, personId } = command.data;
  const referral = referrals[referralId];
  if (!referral || referral.direction !== 'incoming' || referral.status !== 'accepted') {
    throw new DomainRuleError('no-accepted-referral', `referral ${referralId} is not a referral protection received and accepted in this case`);
  }
  if (referral.personId !== null && referral.personId !== personId) {
    throw new DomainRuleError('person-mismatch', `referral ${referralId} is about person ${referral.personId}, not ${personId}`);
  }
  return [{ type: 'protection.ProtectionCaseOpened', data: { ...command.data } }];
}
