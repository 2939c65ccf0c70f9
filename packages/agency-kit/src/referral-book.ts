// What one agency knows of the referrals of one case, folded from its own case stream: the ones
// it issued (outgoing) and the ones addressed to it (incoming). Every referral rule is decided
// from this alone, so an agency never needs another agency's store to say yes or no.
import type { ReferralAgency, ReferralKind } from '@nrm/contracts';

export type ReferralStatus = 'issued' | 'received' | 'accepted' | 'declined' | 'completed' | 'withdrawn';

export type ReferralRecord = {
  referralId: string;
  direction: 'outgoing' | 'incoming';
  /** The other agency: the receiver of an outgoing referral, the issuer of an incoming one. */
  counterpart: ReferralAgency;
  kind: ReferralKind;
  priority: 'normal' | 'urgent';
  involvesChild: boolean;
  acceptBy: string;
  /** The person referred, when the issuer had identified them. */
  personId: string | null;
  status: ReferralStatus;
  overdue: boolean;
  /** Incoming only: the issuer's ReferralIssued event, which every answer cites as its cause. */
  issuedEventId: string | null;
};

export type ReferralBook = Readonly<Record<string, ReferralRecord>>;

export const EMPTY_REFERRAL_BOOK: ReferralBook = {};

/** Statuses after which nothing more happens to a referral. */
export const SETTLED: ReadonlySet<ReferralStatus> = new Set(['declined', 'completed', 'withdrawn']);
