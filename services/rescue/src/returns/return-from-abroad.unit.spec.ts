// Returns from abroad as a specification: a return opens a case of its own or joins one rescue
// holds; each person is received once.
import { describe, it } from 'vitest';
import { newId } from '@nrm/contracts';
import { IllegalStateError, NotFoundError } from '@nrm/service-kit';
import { cmd, inHand, listed, referralReceived, returnData, returnReceived, spec } from '../testing/rescue-fixtures.ts';

const handoverId = newId();
const persons = [listed(), listed(newId(), { ageGroup: '16-17', child: true }), listed(newId(), { sex: 'male' })];
const receive = (newCase: boolean, id = handoverId, who: readonly Record<string, unknown>[] = persons) => cmd('ReceiveReturnFromAbroad', { ...returnData(id, who), newCase });

describe('rescue: a return from abroad', () => {
  it('opens a case of its own', () => {
    spec.given([]).when(receive(true)).then([returnReceived(handoverId, persons)]);
    spec.given(inHand).when(receive(true)).thenThrows(IllegalStateError, 'case-already-open');
  });

  it('or is received in a case rescue holds', () => {
    spec.given(inHand).when(receive(false)).then([returnReceived(handoverId, persons)]);
    spec.given([]).when(receive(false)).thenThrows(NotFoundError);
    spec.given([referralReceived()]).when(receive(false)).thenThrows(IllegalStateError, 'no-accepted-referral');
  });

  it('receives each person once, under a handover id of its own', () => {
    const received = returnReceived(handoverId, persons);
    spec.given([received]).when(receive(false, newId(), [persons[0]!])).thenThrows(IllegalStateError, 'person-already-listed');
    spec.given([received]).when(receive(false, handoverId, [listed()])).thenThrows(IllegalStateError, 'handover-id-taken');
  });
});
