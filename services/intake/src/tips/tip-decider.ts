// Intake's rules for a tip (pure): receive it once; classify it while it is open (a
// reclassification is recorded too); refer it only once classified as something the referral
// chain handles; close it once, and as `referred` only by a referral it actually issued.
import { DomainRuleError, IllegalStateError, NotFoundError } from '@nrm/service-kit';
import type { Command, DomainEvent } from '@nrm/service-kit';
import type { TipClassified, TipClosed, TipReceived } from '@nrm/contracts';
import type { AgencyDecider, ReferralBook } from '@nrm/agency-kit';
import { evolveTip, initialTip } from './tip.ts';
import type { Tip } from './tip.ts';

export type TipCommand =
  | Command<'ReceiveTip', TipReceived>
  | Command<'ClassifyTip', Omit<TipClassified, 'tipId'>>
  | Command<'CloseTip', Omit<TipClosed, 'tipId'>>;

function openTip(tip: Tip): Extract<Tip, { status: 'received' | 'classified' }> {
  if (tip.status === 'none') throw new NotFoundError('no tip was received in this case');
  if (tip.status === 'closed') throw new IllegalStateError('tip-closed', `the tip was already closed as ${tip.closed.outcome}`);
  return tip;
}

export const tipDecider: AgencyDecider<TipCommand, Tip> = {
  initialState: initialTip,
  evolve: evolveTip,

  decide(command, tip, referrals: ReferralBook): DomainEvent[] {
    switch (command.type) {
      case 'ReceiveTip':
        if (tip.status !== 'none') throw new IllegalStateError('tip-already-received', 'this case already has its tip');
        return [{ type: 'intake.TipReceived', data: { ...command.data } }];
      case 'ClassifyTip': {
        const open = openTip(tip);
        return [{ type: 'intake.TipClassified', data: { tipId: open.received.tipId, ...command.data } }];
      }
      case 'CloseTip': {
        const open = openTip(tip);
        if (command.data.outcome === 'referred') {
          const referral = command.data.referralId ? referrals[command.data.referralId] : undefined;
          if (!referral || referral.direction !== 'outgoing' || referral.status === 'withdrawn') {
            throw new DomainRuleError('referral-unknown', 'a tip is closed as referred only by a referral intake issued in this case and did not withdraw');
          }
        }
        return [{ type: 'intake.TipClosed', data: { tipId: open.received.tipId, ...command.data } }];
      }
      default: {
        const unknown: never = command;
        throw new Error(`unhandled intake command ${(unknown as { type: string }).type}`);
      }
    }
  },

  guardReferral(tip) {
    const open = openTip(tip);
    if (open.status !== 'classified') throw new DomainRuleError('tip-not-classified', 'classify the tip before referring it');
    if (open.classified.classification === 'not-trafficking') throw new DomainRuleError('not-trafficking', 'a tip classified as not trafficking is closed, not referred');
  },
};
