// The reintegration case (tái hòa nhập cộng đồng) as reintegration sees it. It starts when
// reintegration accepts a referral that names the person: until then it only knows the
// referrals it received. Then the plan agreed with the person, the support delivered against
// it and the follow-up visits; it closes once, with an outcome. Folded from its own case stream.
import type { ReintegrationCaseClosed, ReintegrationPlanAgreed, ReintegrationSupportDelivered, FollowUpVisitMade } from '@nrm/contracts';
import { DomainRuleError, IllegalStateError, NotFoundError } from '@nrm/service-kit';
import type { DomainEvent } from '@nrm/service-kit';

export type ReintegrationWork = {
  personId: string;
  /** The accepted referral the case started from. */
  referralId: string;
  /** Every plan agreed, in order; the last one is the plan in force. */
  plans: readonly ReintegrationPlanAgreed[];
  deliveries: readonly ReintegrationSupportDelivered[];
  followUps: readonly FollowUpVisitMade[];
};

export type OpenReintegrationCase = { status: 'open' } & ReintegrationWork;

export type ReintegrationCase =
  | { status: 'none'; referred: Readonly<Record<string, { personId: string | null; accepted: boolean }>> }
  | OpenReintegrationCase
  | ({ status: 'closed'; closed: ReintegrationCaseClosed } & ReintegrationWork);

export const initialReintegrationCase = (): ReintegrationCase => ({ status: 'none', referred: {} });

/** The plan in force, if one was agreed. */
export function planInForce(work: ReintegrationWork): ReintegrationPlanAgreed | null {
  return work.plans.at(-1) ?? null;
}

function whileOpen(state: ReintegrationCase, update: (open: OpenReintegrationCase) => ReintegrationCase): ReintegrationCase {
  return state.status === 'open' ? update(state) : state;
}

export function evolveReintegrationCase(state: ReintegrationCase, event: DomainEvent): ReintegrationCase {
  switch (event.type) {
    case 'reintegration.ReferralReceived': {
      if (state.status !== 'none') return state;
      const { referralId, personId } = event.data as { referralId: string; personId?: string };
      return { ...state, referred: { ...state.referred, [referralId]: { personId: personId ?? null, accepted: false } } };
    }
    case 'reintegration.ReferralAccepted': {
      if (state.status !== 'none') return state;
      const { referralId } = event.data as { referralId: string };
      const referred = state.referred[referralId];
      if (!referred) return state;
      if (referred.personId) return { status: 'open', personId: referred.personId, referralId, plans: [], deliveries: [], followUps: [] };
      return { ...state, referred: { ...state.referred, [referralId]: { ...referred, accepted: true } } };
    }
    case 'reintegration.ReintegrationPlanAgreed':
      return whileOpen(state, (open) => ({ ...open, plans: [...open.plans, event.data as ReintegrationPlanAgreed] }));
    case 'reintegration.ReintegrationSupportDelivered':
      return whileOpen(state, (open) => ({ ...open, deliveries: [...open.deliveries, event.data as ReintegrationSupportDelivered] }));
    case 'reintegration.FollowUpVisitMade':
      return whileOpen(state, (open) => ({ ...open, followUps: [...open.followUps, event.data as FollowUpVisitMade] }));
    case 'reintegration.ReintegrationCaseClosed':
      return whileOpen(state, ({ status: _open, ...work }) => ({ status: 'closed', ...work, closed: event.data as ReintegrationCaseClosed }));
    default:
      return state;
  }
}

/** The case while it is open, or the refusal that says why it is not. */
export function activeCase(state: ReintegrationCase): OpenReintegrationCase {
  switch (state.status) {
    case 'none': {
      const referred = Object.values(state.referred);
      if (referred.length === 0) throw new NotFoundError('reintegration received no referral in this case');
      if (referred.some((referral) => referral.accepted)) {
        throw new DomainRuleError('referral-without-person', 'the referral reintegration accepted names no person; reintegration works only for a named person, so the issuer refers them by personId');
      }
      throw new DomainRuleError('no-accepted-referral', 'accept the referral that names the person before working on the case');
    }
    case 'closed':
      throw new IllegalStateError('case-closed', `the reintegration case was closed as ${state.closed.outcome}`);
    case 'open':
      return state;
    default: {
      const unknown: never = state;
      throw new Error(`unhandled reintegration case state ${(unknown as { status: string }).status}`);
    }
  }
}

/** Every command names the person; the case is theirs, and their data is sealed under their own key. */
export function assertCasePerson(open: OpenReintegrationCase, personId: string): void {
  if (personId !== open.personId) throw new DomainRuleError('person-mismatch', `person ${personId} is not the person this reintegration case is for`);
}
