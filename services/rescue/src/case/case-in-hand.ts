// Rescue works on a case it opened itself (a foreign authority's request, a return from abroad)
// or on one whose referral it accepted: the referral is its mandate, and an unanswered or
// declined one gives none. Once rescue has acted in a case, what it started is followed through.
import type { ReferralBook } from '@nrm/agency-kit';
import { DomainRuleError, IllegalStateError, NotFoundError } from '@nrm/service-kit';
import type { OpenRescueCase, Rescue, RescueCase } from './rescue-case.ts';

const mandated = (referrals: ReferralBook) => Object.values(referrals).some((record) => record.direction === 'incoming' && (record.status === 'accepted' || record.status === 'completed'));

export function caseInHand(state: RescueCase, referrals: ReferralBook): OpenRescueCase {
  if (state.status === 'none') throw new NotFoundError('rescue has no case with this id');
  const acted = [state.rescues, state.returns, state.handovers].some((records) => Object.keys(records).length > 0);
  if (!acted && !mandated(referrals)) throw new IllegalStateError('no-accepted-referral', 'accept a referral for this case before working on it');
  return state;
}

export function rescueIn(open: OpenRescueCase, rescueId: string): Rescue {
  const rescue = open.rescues[rescueId];
  if (!rescue) throw new DomainRuleError('rescue-unknown', `no rescue ${rescueId} was requested in this case`);
  return rescue;
}

/** Persons the case knows: held by rescue (recovered, returned) or named by a referral it accepted. */
export function assertKnownPerson(open: OpenRescueCase, referrals: ReferralBook, personId: string): void {
  if (open.persons[personId]) return;
  const referred = Object.values(referrals).some((record) => record.direction === 'incoming' && record.personId === personId && (record.status === 'accepted' || record.status === 'completed'));
  if (!referred) throw new DomainRuleError('person-unknown', `person ${personId} was neither recovered, returned nor referred to rescue in this case`);
}

/** A person is recovered or received once in a case: a second listing would count them twice. */
export function assertNotListed(open: OpenRescueCase, personIds: readonly string[]): void {
  const listed = personIds.find((personId) => open.persons[personId]);
  if (listed) throw new IllegalStateError('person-already-listed', `person ${listed} was already recovered or received in this case`);
}
