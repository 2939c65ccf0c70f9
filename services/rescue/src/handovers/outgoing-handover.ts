// The return of foreign victims to their country (trao trả, an outgoing handover), in order:
// planned with a proposed date, scheduled once the receiving side agrees (and rescheduled while
// it has not happened), completed once. Each event repeats the handover's facts, so the liaison
// service builds the foreign desk's packet from any one of them.
import type { ReferralBook } from '@nrm/agency-kit';
import { borderGateOf } from '@nrm/contracts';
import type { BorderGate, HandoverPlanned } from '@nrm/contracts';
import { DomainRuleError, IllegalStateError } from '@nrm/service-kit';
import type { Command, DomainEvent } from '@nrm/service-kit';
import { assertKnownPerson, caseInHand } from '../case/case-in-hand.ts';
import type { OpenRescueCase, OutgoingHandover, RescueCase } from '../case/rescue-case.ts';

export type PlanHandover = Command<'PlanHandover', HandoverPlanned>;
export type ScheduleHandover = Command<'ScheduleHandover', { handoverId: string; date: string; borderGate?: BorderGate; counterpartReference?: string }>;
export type CompleteHandover = Command<'CompleteHandover', { handoverId: string; receivedBy: string; personIds?: string[] }>;

/** The facts every event of a handover repeats, as last agreed. */
function factsOf(handover: OutgoingHandover) {
  const { handoverId, toCountry, borderGate, persons, needs } = handover.status === 'planned' ? handover.planned : handover.scheduled;
  return { handoverId, toCountry, ...(borderGate ? { borderGate } : {}), persons, needs };
}

function handoverIn(open: OpenRescueCase, handoverId: string): OutgoingHandover {
  const handover = open.handovers[handoverId];
  if (!handover) throw new IllegalStateError('handover-not-planned', `no handover ${handoverId} was planned in this case`);
  if (handover.status === 'completed') throw new IllegalStateError('handover-already-completed', `handover ${handoverId} was completed on ${handover.completed.date}`);
  return handover;
}

export function planHandover(command: PlanHandover, state: RescueCase, referrals: ReferralBook): DomainEvent[] {
  const open = caseInHand(state, referrals);
  const { handoverId, persons } = command.data;
  if (open.handovers[handoverId] || open.returns[handoverId]) throw new IllegalStateError('handover-id-taken', `handover ${handoverId} already exists in this case`);
  for (const { personId } of persons) {
    assertKnownPerson(open, referrals, personId);
    const other = Object.values(open.handovers).find((handover) => handover.planned.persons.some((person) => person.personId === personId));
    if (other) throw new IllegalStateError('person-already-in-handover', `person ${personId} is in handover ${other.planned.handoverId}`);
  }
  return [{ type: 'rescue.HandoverPlanned', data: { ...command.data } }];
}

export function scheduleHandover(command: ScheduleHandover, state: RescueCase, referrals: ReferralBook): DomainEvent[] {
  const handover = handoverIn(caseInHand(state, referrals), command.data.handoverId);
  const facts = factsOf(handover);
  const { borderGate, date, counterpartReference } = command.data;
  if (borderGate && borderGateOf(borderGate).country !== facts.toCountry) {
    throw new DomainRuleError('gate-not-on-border', `${borderGate} is on the border with ${borderGateOf(borderGate).country}, not ${facts.toCountry}`);
  }
  return [{ type: 'rescue.HandoverScheduled', data: { ...facts, ...(borderGate ? { borderGate } : {}), date, ...(counterpartReference ? { counterpartReference } : {}) } }];
}

export function completeHandover(command: CompleteHandover, state: RescueCase, referrals: ReferralBook): DomainEvent[] {
  const handover = handoverIn(caseInHand(state, referrals), command.data.handoverId);
  if (handover.status === 'planned') throw new IllegalStateError('handover-not-scheduled', `handover ${command.data.handoverId} has no date agreed with the receiving side`);
  const facts = factsOf(handover);
  const handedOver = command.data.personIds ?? facts.persons.map((person) => person.personId);
  const stranger = handedOver.find((personId) => !facts.persons.some((person) => person.personId === personId));
  if (stranger) throw new DomainRuleError('person-not-in-handover', `person ${stranger} is not in handover ${command.data.handoverId}`);
  const persons = facts.persons.filter((person) => handedOver.includes(person.personId));
  // The day it happened: the command's own time (its occurredAt when the caller reported one).
  const date = command.metadata.now.slice(0, 10);
  return [{ type: 'rescue.HandoverCompleted', data: { ...facts, persons, date, receivedBy: command.data.receivedBy } }];
}
