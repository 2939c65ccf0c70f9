// A rescue request (giải cứu). Within a case it cites the referral rescue accepted for it (one
// rescue per referral), or comes from another requester once the case is rescue's. A case opens
// directly only on a foreign authority's request: every other source reports to intake, and the
// request reaches rescue as a referral after identification.
import type { ReferralBook } from '@nrm/agency-kit';
import type { RescueRequested } from '@nrm/contracts';
import { DomainRuleError, IllegalStateError } from '@nrm/service-kit';
import type { Command, DomainEvent } from '@nrm/service-kit';
import { caseInHand } from '../case/case-in-hand.ts';
import type { OpenRescueCase, RescueCase } from '../case/rescue-case.ts';

export type RequestRescue = Command<'RequestRescue', RescueRequested & { newCase: boolean }>;

function assertCitable(open: OpenRescueCase, referrals: ReferralBook, referralId: string): void {
  const referral = referrals[referralId];
  if (!referral || referral.direction !== 'incoming') throw new DomainRuleError('referral-unknown', `referral ${referralId} was not addressed to rescue in this case`);
  if (referral.status !== 'accepted') throw new IllegalStateError('referral-not-accepted', `referral ${referralId} is ${referral.status}; a rescue request cites an accepted referral`);
  const citing = Object.values(open.rescues).find((rescue) => rescue.requested.referralId === referralId);
  if (citing) throw new IllegalStateError('referral-already-requested', `rescue ${citing.requested.rescueId} already answers referral ${referralId}`);
}

export function requestRescue(command: RequestRescue, state: RescueCase, referrals: ReferralBook): DomainEvent[] {
  const { newCase, ...requested } = command.data;
  if (newCase) {
    if (state.status !== 'none') throw new IllegalStateError('case-already-open', 'this case is already open');
    if (requested.requestedBy !== 'foreign-authority') {
      throw new DomainRuleError('direct-request-not-foreign', `only a foreign authority's request opens a rescue case directly; a request by ${requested.requestedBy} comes through intake and identification as a referral`);
    }
  } else {
    const open = caseInHand(state, referrals);
    if (open.rescues[requested.rescueId]) throw new IllegalStateError('rescue-id-taken', `rescue ${requested.rescueId} already exists in this case`);
    if (requested.referralId) assertCitable(open, referrals, requested.referralId);
  }
  return [{ type: 'rescue.RescueRequested', data: { ...requested } }];
}
