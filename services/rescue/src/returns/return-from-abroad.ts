// Victims returned from abroad, received at a border gate or an airport (tiếp nhận trở về, an
// incoming handover). A return opens a case of its own, or is recorded in a case rescue already
// holds (a victim it was asked to bring back). The country and gate rules are the contracts'.
import type { ReferralBook } from '@nrm/agency-kit';
import type { ReturnFromAbroadReceived } from '@nrm/contracts';
import { IllegalStateError } from '@nrm/service-kit';
import type { Command, DomainEvent } from '@nrm/service-kit';
import { assertNotListed, caseInHand } from '../case/case-in-hand.ts';
import type { RescueCase } from '../case/rescue-case.ts';

export type ReceiveReturnFromAbroad = Command<'ReceiveReturnFromAbroad', ReturnFromAbroadReceived & { newCase: boolean }>;

export function receiveReturnFromAbroad(command: ReceiveReturnFromAbroad, state: RescueCase, referrals: ReferralBook): DomainEvent[] {
  const { newCase, ...received } = command.data;
  if (newCase) {
    if (state.status !== 'none') throw new IllegalStateError('case-already-open', 'this case is already open');
  } else {
    const open = caseInHand(state, referrals);
    if (open.returns[received.handoverId] || open.handovers[received.handoverId]) throw new IllegalStateError('handover-id-taken', `handover ${received.handoverId} already exists in this case`);
    assertNotListed(open, received.persons.map((person) => person.personId));
  }
  return [{ type: 'rescue.ReturnFromAbroadReceived', data: { ...received } }];
}
