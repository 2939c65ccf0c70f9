// Identification works on a case only once it accepted a referral for it: the referral is its
// mandate, and an unanswered, declined or withdrawn one gives none. A completed referral was
// accepted first, so following it up (referring the identified victim onward) stays possible.
import type { ReferralBook } from '@nrm/agency-kit';
import { DomainRuleError, IllegalStateError, NotFoundError } from '@nrm/service-kit';
import type { IdentificationCase, OpenIdentificationCase, PresumedVictim } from './identification-case.ts';

export function caseInHand(state: IdentificationCase, referrals: ReferralBook): OpenIdentificationCase {
  if (state.status === 'none') throw new NotFoundError('identification has no case with this id');
  const mandate = Object.values(referrals).some((record) => record.direction === 'incoming' && (record.status === 'accepted' || record.status === 'completed'));
  if (!mandate) throw new IllegalStateError('no-accepted-referral', 'accept a referral for this case before working on it');
  return state;
}

export function presumedVictim(open: OpenIdentificationCase, personId: string): PresumedVictim {
  const person = open.persons[personId];
  if (!person) throw new DomainRuleError('person-unknown', `person ${personId} is not a presumed victim in this case; the first verification step about someone names no personId`);
  return person;
}
