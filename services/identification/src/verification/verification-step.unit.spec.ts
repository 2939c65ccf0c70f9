// Verification steps as a specification: given the case's events, when a step is recorded, then
// the step or a refusal naming the rule.
import { describe, it } from 'vitest';
import { newId } from '@nrm/contracts';
import { fakeSealed } from '@nrm/contracts/testing';
import { DomainRuleError, IllegalStateError, NotFoundError } from '@nrm/service-kit';
import { cmd, inHand, personId, referralAnswered, referralReceived, spec, stepData, stepRecorded, victimIdentified, victimNotIdentified } from '../testing/identification-fixtures.ts';

const firstStep = (changes: Record<string, unknown> = {}) => cmd('RecordVerificationStep', { ...stepData, newPerson: true, ...changes });
const laterStep = (changes: Record<string, unknown> = {}) => cmd('RecordVerificationStep', { ...stepData, newPerson: false, ...changes });

describe('identification: a verification step', () => {
  it('introduces a presumed victim with the personId the service allocated, and records a sealed note', () => {
    const note = fakeSealed(personId);
    spec.given(inHand).when(firstStep({ note })).then([stepRecorded({ note })]);
  });

  it('names a person the case knows on every later step', () => {
    spec.given([...inHand, stepRecorded()]).when(laterStep({ step: 'document-check', result: 'inconclusive' })).then([stepRecorded({ step: 'document-check', result: 'inconclusive' })]);
    spec.given(inHand).when(laterStep({ personId: newId() })).thenThrows(DomainRuleError, 'person-unknown');
    spec.given([...inHand, stepRecorded()]).when(firstStep()).thenThrows(IllegalStateError, 'person-id-taken');
  });

  it('knows the person a referral names, without a first step', () => {
    const referred = newId();
    spec.given([referralReceived({ personId: referred }), referralAnswered('Accepted')]).when(laterStep({ personId: referred })).then([stepRecorded({ personId: referred })]);
  });

  it('needs an accepted referral: not on a case never referred, nor before acceptance, nor after a decline or withdrawal', () => {
    spec.given([]).when(firstStep()).thenThrows(NotFoundError);
    spec.given([referralReceived()]).when(firstStep()).thenThrows(IllegalStateError, 'no-accepted-referral');
    spec.given([referralReceived(), referralAnswered('Declined')]).when(firstStep()).thenThrows(IllegalStateError, 'no-accepted-referral');
    spec.given([...inHand, referralAnswered('WithdrawalReceived')]).when(firstStep()).thenThrows(IllegalStateError, 'no-accepted-referral');
  });

  it('is not recorded once verification concluded for the person', () => {
    spec.given([...inHand, stepRecorded(), victimIdentified()]).when(laterStep()).thenThrows(IllegalStateError, 'verification-concluded');
    spec.given([...inHand, stepRecorded(), victimNotIdentified]).when(laterStep()).thenThrows(IllegalStateError, 'verification-concluded');
  });
});
