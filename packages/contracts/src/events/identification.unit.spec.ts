import { describe, expect, it } from 'vitest';
import { exampleIds, sealedPerson } from '../testing/example-payloads.ts';
import { exampleWith, rejectedPaths } from '../testing/rejected-paths.ts';
import { fakeSealed } from '../testing/sealed-envelopes.ts';

const { person, otherPerson } = exampleIds;
const identified = (changes: Record<string, unknown>) => rejectedPaths('identification.VictimIdentified', exampleWith('identification.VictimIdentified', changes));

describe('identification events', () => {
  it('records a verification step with a sealed note, or none', () => {
    expect(rejectedPaths('identification.VerificationStepRecorded', exampleWith('identification.VerificationStepRecorded', { note: undefined }))).toEqual([]);
    expect(rejectedPaths('identification.VerificationStepRecorded', exampleWith('identification.VerificationStepRecorded', { note: 'she showed a passport' }))).toContain('note');
    expect(rejectedPaths('identification.VerificationStepRecorded', exampleWith('identification.VerificationStepRecorded', { step: 'guess' }))).toEqual(['step']);
  });

  it('keeps who the victim is sealed for their own personId', () => {
    expect(identified({ person: { fullName: 'Nguyễn Thị A' } })).toContain('person.fullName');
    expect(identified({ person: { ...sealedPerson(person), idNumber: '001203004567' } })).toContain('person.idNumber');
    expect(identified({ person: sealedPerson(otherPerson) })).toEqual(['person.fullName', 'person.dateOfBirth', 'person.idNumber']);
    expect(identified({ person: { ...sealedPerson(person), nickname: fakeSealed(person) } })).toEqual(['person']);
    expect(identified({ person: { dateOfBirth: fakeSealed(person) } })).toEqual(['person.fullName']);
  });

  it('keeps child and age group in agreement, unless the age is unknown', () => {
    expect(identified({ ageGroup: '25-34', child: true })).toEqual(['child']);
    expect(identified({ ageGroup: '12-15', child: false })).toEqual(['child']);
    expect(identified({ ageGroup: 'unknown', child: true })).toEqual([]);
  });

  it('takes ISO countries for nationality and place of exploitation, or a stateless person', () => {
    expect(identified({ nationality: 'stateless' })).toEqual([]);
    expect(identified({ nationality: 'Vietnamese' })).toEqual(['nationality']);
    expect(identified({ exploitationCountry: 'KHM' })).toEqual(['exploitationCountry']);
  });

  it('needs at least one form of exploitation, each once, and a provincial unit', () => {
    expect(identified({ formsOfExploitation: [] })).toEqual(['formsOfExploitation']);
    expect(identified({ formsOfExploitation: ['organ-removal', 'organ-removal'] })).toEqual(['formsOfExploitation.1']);
    expect(identified({ formsOfExploitation: ['begging'] })).toEqual(['formsOfExploitation.0']);
    expect(identified({ province: 'Hanoi' })).toEqual(['province']);
    expect(identified({ homeProvince: 'Đắk Nông' })).toEqual([]);
  });

  it('says why a person was not identified', () => {
    expect(rejectedPaths('identification.VictimNotIdentified', exampleWith('identification.VictimNotIdentified', { reason: undefined }))).toEqual(['reason']);
    expect(rejectedPaths('identification.VictimNotIdentified', exampleWith('identification.VictimNotIdentified', { note: fakeSealed(otherPerson) }))).toEqual(['note']);
  });
});
