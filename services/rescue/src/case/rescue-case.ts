// The rescue case as rescue sees it: the rescues requested in it (giải cứu) and how far each
// went, the victims received back from abroad (tiếp nhận trở về), the foreign victims being
// returned home (trao trả), and every person rescue holds in the case. Folded from rescue's own
// case stream, referral events included: a case exists for rescue from the moment a referral
// reaches it, or from the rescue request or return that opened it directly.
import type {
  HandoverCompleted,
  HandoverPlanned,
  HandoverScheduled,
  ListedPerson,
  PersonsRecovered,
  RescueOperationExecuted,
  RescueOperationPlanned,
  RescueRequested,
  ReturnFromAbroadReceived,
} from '@nrm/contracts';
import type { DomainEvent } from '@nrm/service-kit';

export type Rescue =
  | { status: 'requested'; requested: RescueRequested }
  | { status: 'planned'; requested: RescueRequested; planned: RescueOperationPlanned }
  | { status: 'executed'; requested: RescueRequested; planned: RescueOperationPlanned; executed: RescueOperationExecuted; recovered: readonly string[] };

export type OutgoingHandover =
  | { status: 'planned'; planned: HandoverPlanned }
  | { status: 'scheduled'; planned: HandoverPlanned; scheduled: HandoverScheduled }
  | { status: 'completed'; planned: HandoverPlanned; scheduled: HandoverScheduled; completed: HandoverCompleted };

/** A person rescue holds: recovered by one of its rescues, or received back from abroad. */
export type PersonInHand = { via: 'rescue'; rescueId: string; listed: ListedPerson } | { via: 'return'; handoverId: string; listed: ListedPerson };

export type OpenRescueCase = {
  status: 'open';
  rescues: Readonly<Record<string, Rescue>>;
  returns: Readonly<Record<string, ReturnFromAbroadReceived>>;
  handovers: Readonly<Record<string, OutgoingHandover>>;
  persons: Readonly<Record<string, PersonInHand>>;
};

export type RescueCase = { status: 'none' } | OpenRescueCase;

export const initialRescueCase = (): RescueCase => ({ status: 'none' });

const opened = (state: RescueCase): OpenRescueCase => (state.status === 'open' ? state : { status: 'open', rescues: {}, returns: {}, handovers: {}, persons: {} });

function withPersons(state: OpenRescueCase, persons: readonly PersonInHand[]): Readonly<Record<string, PersonInHand>> {
  return { ...state.persons, ...Object.fromEntries(persons.map((person) => [person.listed.personId, person])) };
}

function evolveRescue(rescue: Rescue | undefined, event: DomainEvent): Rescue | undefined {
  if (!rescue) return rescue;
  switch (event.type) {
    case 'rescue.RescueOperationPlanned':
      return rescue.status === 'executed' ? rescue : { status: 'planned', requested: rescue.requested, planned: event.data as RescueOperationPlanned };
    case 'rescue.RescueOperationExecuted':
      return rescue.status === 'planned' ? { ...rescue, status: 'executed', executed: event.data as RescueOperationExecuted, recovered: [] } : rescue;
    case 'rescue.PersonsRecovered': {
      const { persons } = event.data as PersonsRecovered;
      return rescue.status === 'executed' ? { ...rescue, recovered: [...rescue.recovered, ...persons.map((person) => person.personId)] } : rescue;
    }
    default:
      return rescue;
  }
}

function evolveHandover(handover: OutgoingHandover | undefined, event: DomainEvent): OutgoingHandover | undefined {
  if (!handover) return handover;
  switch (event.type) {
    case 'rescue.HandoverScheduled':
      return handover.status === 'completed' ? handover : { status: 'scheduled', planned: handover.planned, scheduled: event.data as HandoverScheduled };
    case 'rescue.HandoverCompleted':
      return handover.status === 'scheduled' ? { ...handover, status: 'completed', completed: event.data as HandoverCompleted } : handover;
    default:
      return handover;
  }
}

export function evolveRescueCase(state: RescueCase, event: DomainEvent): RescueCase {
  switch (event.type) {
    case 'rescue.RescueRequested': {
      const open = opened(state);
      const requested = event.data as RescueRequested;
      return { ...open, rescues: { ...open.rescues, [requested.rescueId]: { status: 'requested', requested } } };
    }
    case 'rescue.RescueOperationPlanned':
    case 'rescue.RescueOperationExecuted':
    case 'rescue.PersonsRecovered': {
      const open = opened(state);
      const { rescueId } = event.data as { rescueId: string };
      const rescue = evolveRescue(open.rescues[rescueId], event);
      if (!rescue) return open;
      const recovered = event.type === 'rescue.PersonsRecovered' ? (event.data as PersonsRecovered).persons.map((listed): PersonInHand => ({ via: 'rescue', rescueId, listed })) : [];
      return { ...open, rescues: { ...open.rescues, [rescueId]: rescue }, persons: withPersons(open, recovered) };
    }
    case 'rescue.ReturnFromAbroadReceived': {
      const open = opened(state);
      const received = event.data as ReturnFromAbroadReceived;
      const returned = received.persons.map((listed): PersonInHand => ({ via: 'return', handoverId: received.handoverId, listed }));
      return { ...open, returns: { ...open.returns, [received.handoverId]: received }, persons: withPersons(open, returned) };
    }
    case 'rescue.HandoverPlanned': {
      const open = opened(state);
      const planned = event.data as HandoverPlanned;
      return { ...open, handovers: { ...open.handovers, [planned.handoverId]: { status: 'planned', planned } } };
    }
    case 'rescue.HandoverScheduled':
    case 'rescue.HandoverCompleted': {
      const open = opened(state);
      const { handoverId } = event.data as { handoverId: string };
      const handover = evolveHandover(open.handovers[handoverId], event);
      return handover ? { ...open, handovers: { ...open.handovers, [handoverId]: handover } } : open;
    }
    case 'rescue.ReferralReceived':
      return opened(state);
    default:
      return state;
  }
}
