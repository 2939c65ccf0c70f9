// Rescue requests as a specification: a case opens directly only on a foreign authority's
// request; within a case, a request cites the referral rescue accepted, once.
import { describe, it } from 'vitest';
import { newId } from '@nrm/contracts';
import { DomainRuleError, IllegalStateError, NotFoundError } from '@nrm/service-kit';
import { cmd, inHand, referralAnswered, referralReceived, requestData, rescueRequested, spec } from '../testing/rescue-fixtures.ts';

const request = (newCase: boolean, changes: Record<string, unknown> = {}) => cmd('RequestRescue', { ...requestData(changes), newCase });
const foreign = { requestedBy: 'foreign-authority', referralId: undefined };

describe('rescue: a rescue request', () => {
  it('cites the referral rescue accepted in the case', () => {
    spec.given(inHand).when(request(false)).then([rescueRequested()]);
  });

  it('opens a case directly only on a foreign authority request', () => {
    spec.given([]).when(request(true, foreign)).then([rescueRequested(foreign)]);
    spec.given([]).when(request(true, { requestedBy: 'police', referralId: undefined })).thenThrows(DomainRuleError, 'direct-request-not-foreign');
    spec.given([]).when(request(true)).thenThrows(DomainRuleError, 'direct-request-not-foreign');
    spec.given(inHand).when(request(true, foreign)).thenThrows(IllegalStateError, 'case-already-open');
  });

  it('within a case, only once rescue holds it', () => {
    spec.given([]).when(request(false)).thenThrows(NotFoundError);
    spec.given([referralReceived()]).when(request(false)).thenThrows(IllegalStateError, 'no-accepted-referral');
    spec.given([referralReceived(), referralAnswered('Declined')]).when(request(false, foreign)).thenThrows(IllegalStateError, 'no-accepted-referral');
  });

  it('cites an accepted referral of this case, and one rescue answers one referral', () => {
    const second = newId();
    spec.given(inHand).when(request(false, { referralId: newId() })).thenThrows(DomainRuleError, 'referral-unknown');
    spec.given([...inHand, referralReceived({ referralId: second })]).when(request(false, { referralId: second })).thenThrows(IllegalStateError, 'referral-not-accepted');
    spec.given([...inHand, rescueRequested()]).when(request(false, { rescueId: newId() })).thenThrows(IllegalStateError, 'referral-already-requested');
    spec.given([...inHand, rescueRequested()]).when(request(false, { referralId: undefined, requestedBy: 'foreign-authority' })).thenThrows(IllegalStateError, 'rescue-id-taken');
    const another = { ...foreign, rescueId: newId() };
    spec.given([...inHand, rescueRequested()]).when(request(false, another)).then([rescueRequested(another)]);
  });
});
