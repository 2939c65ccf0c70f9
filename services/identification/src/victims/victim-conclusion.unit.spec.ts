// How verification concludes, as a specification: identified or not, once per person, never both,
// and only after a verification step.
import { describe, it } from 'vitest';
import { newId } from '@nrm/contracts';
import { fakeSealed } from '@nrm/contracts/testing';
import { DomainRuleError, IllegalStateError, NotFoundError } from '@nrm/service-kit';
import { cmd, identifiedData, inHand, notIdentifiedData, personId, referralAnswered, referralReceived, spec, stepRecorded, victimIdentified, victimNotIdentified } from '../testing/identification-fixtures.ts';

const verified = [...inHand, stepRecorded()];
const identify = (who = personId) => cmd('IdentifyVictim', identifiedData(who));
const notIdentify = (changes: Record<string, unknown> = {}) => cmd('RecordVictimNotIdentified', { ...notIdentifiedData, ...changes });

describe('identification: verification concludes', () => {
  it('with the victim identified: forms of exploitation, nationality, sex, age group, child or adult', () => {
    spec.given(verified).when(identify()).then([victimIdentified()]);
  });

  it('or with the person not identified, and why', () => {
    const note = fakeSealed(personId);
    spec.given(verified).when(notIdentify({ note })).then([{ type: 'identification.VictimNotIdentified', data: { ...notIdentifiedData, note } }]);
  });

  it('once per person, and never both ways', () => {
    spec.given([...verified, victimIdentified()]).when(identify()).thenThrows(IllegalStateError, 'victim-already-identified');
    spec.given([...verified, victimIdentified()]).when(notIdentify()).thenThrows(IllegalStateError, 'victim-already-identified');
    spec.given([...verified, victimNotIdentified]).when(notIdentify()).thenThrows(IllegalStateError, 'victim-already-not-identified');
    spec.given([...verified, victimNotIdentified]).when(identify()).thenThrows(IllegalStateError, 'victim-already-not-identified');
  });

  it('for each person on their own', () => {
    const other = newId();
    spec.given([...verified, victimIdentified(), stepRecorded({ personId: other })]).when(identify(other)).then([victimIdentified(other)]);
  });

  it('only after a verification step, about a person the case knows', () => {
    const referred = newId();
    spec.given([referralReceived({ personId: referred }), referralAnswered('Accepted')]).when(identify(referred)).thenThrows(IllegalStateError, 'not-verified');
    spec.given(verified).when(identify(newId())).thenThrows(DomainRuleError, 'person-unknown');
    spec.given(verified).when(notIdentify({ personId: newId() })).thenThrows(DomainRuleError, 'person-unknown');
  });

  it('only on a case identification accepted', () => {
    spec.given([]).when(identify()).thenThrows(NotFoundError);
    spec.given([referralReceived()]).when(notIdentify()).thenThrows(IllegalStateError, 'no-accepted-referral');
  });
});
