import { describe, expect, it } from 'vitest';
import { exampleIds, sealedPerson } from '../testing/example-payloads.ts';
import { exampleWith, rejectedPaths } from '../testing/rejected-paths.ts';
import { fakeSealed } from '../testing/sealed-envelopes.ts';

const { person, otherPerson, rescue, referral } = exampleIds;
const check = (name: string, changes: Record<string, unknown>) => rejectedPaths(`rescue.${name}`, exampleWith(`rescue.${name}`, changes));
const listed = (personId: string, changes: Record<string, unknown> = {}) => ({ personId, person: sealedPerson(personId), sex: 'male', ageGroup: '25-34', child: false, nationality: 'VN', ...changes });

describe('rescue events', () => {
  it('requests a rescue with the locality sealed for the rescue and minors within people', () => {
    expect(check('RescueRequested', { locality: 'Số 5, ngõ 12, phường Cốc Lếu' })).toContain('locality');
    expect(check('RescueRequested', { locality: fakeSealed(person) })).toEqual(['locality']);
    expect(check('RescueRequested', { peopleCount: 1, minorCount: 2 })).toEqual(['minorCount']);
    expect(check('RescueRequested', { peopleCount: 0, minorCount: 0 })).toEqual(['peopleCount']);
    expect(check('RescueRequested', { country: 'MM', province: 'Lào Cai' })).toEqual(['province']);
  });

  it('names the referral exactly when a referral asked for the rescue', () => {
    expect(check('RescueRequested', { referralId: undefined })).toEqual(['referralId']);
    expect(check('RescueRequested', { requestedBy: 'family', referralId: undefined })).toEqual([]);
    expect(check('RescueRequested', { requestedBy: 'family', referralId: referral })).toEqual(['referralId']);
  });

  it('plans with known forces and a UTC time', () => {
    expect(check('RescueOperationPlanned', { forces: [] })).toEqual(['forces']);
    expect(check('RescueOperationPlanned', { forces: ['police', 'police'] })).toEqual(['forces.1']);
    expect(check('RescueOperationPlanned', { plannedFor: '2025-08-01 22:00' })).toEqual(['plannedFor']);
  });

  it('reports an operation whose counts agree with its outcome', () => {
    expect(check('RescueOperationExecuted', { minorsRecovered: 5 })).toEqual(['minorsRecovered']);
    expect(check('RescueOperationExecuted', { outcome: 'no-one-found' })).toEqual(['personsRecovered']);
    expect(check('RescueOperationExecuted', { outcome: 'no-one-found', personsRecovered: 0, minorsRecovered: 0 })).toEqual([]);
    expect(check('RescueOperationExecuted', { suspectsDetained: -1 })).toEqual(['suspectsDetained']);
  });

  it('lists recovered persons once each, each sealed for their own personId', () => {
    expect(check('PersonsRecovered', { persons: [] })).toEqual(['persons']);
    expect(check('PersonsRecovered', { persons: [listed(person), listed(person)] })).toEqual(['persons.1']);
    expect(check('PersonsRecovered', { persons: [{ ...listed(person), person: sealedPerson(otherPerson) }] })).toEqual(['persons.0.person.fullName', 'persons.0.person.dateOfBirth', 'persons.0.person.idNumber']);
    expect(check('PersonsRecovered', { persons: [{ ...listed(person), person: { fullName: 'Trần Văn B' } }] })).toContain('persons.0.person.fullName');
    expect(check('PersonsRecovered', { persons: [listed(person, { ageGroup: '6-11' })] })).toEqual(['persons.0.child']);
  });

  it('receives a return from abroad at a gate on the border with the returning country', () => {
    expect(check('ReturnFromAbroadReceived', { borderGate: 'Mộc Bài' })).toEqual(['borderGate']);
    expect(check('ReturnFromAbroadReceived', { fromCountry: 'MY', borderGate: undefined, province: 'Hà Nội' })).toEqual([]);
    expect(check('ReturnFromAbroadReceived', { fromCountry: 'VN', borderGate: undefined })).toEqual(['fromCountry']);
    expect(check('ReturnFromAbroadReceived', { borderGate: 'Mong Cai' })).toEqual(['borderGate']);
    expect(check('ReturnFromAbroadReceived', { fromCountry: 'China' })).toContain('fromCountry');
  });

  it('carries the whole of an outgoing handover in each of its events', () => {
    for (const name of ['HandoverPlanned', 'HandoverScheduled', 'HandoverCompleted']) {
      expect(check(name, { borderGate: 'Móng Cái' }), name).toEqual(['borderGate']);
      expect(check(name, { toCountry: 'VN', borderGate: undefined }), name).toEqual(['toCountry']);
      expect(check(name, { needs: ['escort', 'escort'] }), name).toEqual(['needs.1']);
      expect(check(name, { persons: [] }), name).toEqual(['persons']);
      expect(check(name, { date: '12/09/2025' }), name).toEqual(['date']);
      expect(check(name, { persons: [{ personId: person, sex: 'female', ageGroup: '16-17', child: true, nationality: 'LA', person: sealedPerson(person) }] }), name).toEqual(['persons.0']);
    }
    expect(check('HandoverCompleted', { receivedBy: undefined })).toEqual(['receivedBy']);
    expect(check('HandoverPlanned', { rescueId: rescue })).toEqual(['']);
  });
});
