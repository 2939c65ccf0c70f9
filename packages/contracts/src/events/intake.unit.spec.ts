import { describe, expect, it } from 'vitest';
import { exampleIds } from '../testing/example-payloads.ts';
import { exampleWith, rejectedPaths } from '../testing/rejected-paths.ts';
import { fakeSealed } from '../testing/sealed-envelopes.ts';

const { tip, otherTip, person, referral } = exampleIds;

describe('intake events', () => {
  it('accepts an anonymous tip, a former province and unknown counts', () => {
    expect(rejectedPaths('intake.TipReceived', exampleWith('intake.TipReceived', { reporter: undefined, peopleCount: undefined, minorCount: undefined, province: 'Bà Rịa - Vũng Tàu' }))).toEqual([]);
  });

  it('refuses a statement or reporter contact in plaintext', () => {
    expect(rejectedPaths('intake.TipReceived', exampleWith('intake.TipReceived', { statement: 'A man in Phnom Penh keeps my sister' }))).toContain('statement');
    expect(rejectedPaths('intake.TipReceived', exampleWith('intake.TipReceived', { reporter: { phone: '0912345678' } }))).toContain('reporter.phone');
    expect(rejectedPaths('intake.TipReceived', exampleWith('intake.TipReceived', { reporter: { fullName: fakeSealed(tip), name: fakeSealed(tip) } }))).toContain('reporter');
  });

  it('refuses an envelope sealed for someone other than the tip', () => {
    expect(rejectedPaths('intake.TipReceived', exampleWith('intake.TipReceived', { statement: fakeSealed(person) }))).toEqual(['statement']);
    expect(rejectedPaths('intake.TipReceived', exampleWith('intake.TipReceived', { allegedPlace: { country: 'KH', locality: fakeSealed(person) } }))).toEqual(['allegedPlace.locality']);
  });

  it('refuses more minors than people, and negative or fractional counts', () => {
    expect(rejectedPaths('intake.TipReceived', exampleWith('intake.TipReceived', { peopleCount: 2, minorCount: 3 }))).toEqual(['minorCount']);
    expect(rejectedPaths('intake.TipReceived', exampleWith('intake.TipReceived', { minorCount: -1 }))).toContain('minorCount');
    expect(rejectedPaths('intake.TipReceived', exampleWith('intake.TipReceived', { peopleCount: 2.5 }))).toContain('peopleCount');
  });

  it('refuses a province that is not a provincial unit, and one outside Viet Nam', () => {
    expect(rejectedPaths('intake.TipReceived', exampleWith('intake.TipReceived', { province: 'Nghe An' }))).toEqual(['province']);
    expect(rejectedPaths('intake.TipReceived', exampleWith('intake.TipReceived', { province: 'Saigon' }))).toEqual(['province']);
    expect(rejectedPaths('intake.TipReceived', exampleWith('intake.TipReceived', { allegedPlace: { country: 'KH', province: 'An Giang' } }))).toEqual(['allegedPlace.province']);
  });

  it('refuses a country that is not an ISO alpha-2 code', () => {
    expect(rejectedPaths('intake.TipReceived', exampleWith('intake.TipReceived', { allegedPlace: { country: 'Cambodia' } }))).toEqual(['allegedPlace.country']);
    expect(rejectedPaths('intake.TipReceived', exampleWith('intake.TipReceived', { allegedPlace: { country: 'kh' } }))).toEqual(['allegedPlace.country']);
  });

  it('names the source country of a foreign authority, and only of one', () => {
    expect(rejectedPaths('intake.TipReceived', exampleWith('intake.TipReceived', { channel: 'foreign-authority', sourceCountry: 'CN' }))).toEqual([]);
    expect(rejectedPaths('intake.TipReceived', exampleWith('intake.TipReceived', { channel: 'foreign-authority' }))).toEqual(['sourceCountry']);
    expect(rejectedPaths('intake.TipReceived', exampleWith('intake.TipReceived', { sourceCountry: 'CN' }))).toEqual(['sourceCountry']);
  });

  it('classifies with known classifications and risk levels, each suspected form once', () => {
    expect(rejectedPaths('intake.TipClassified', exampleWith('intake.TipClassified', { classification: 'smuggling' }))).toEqual(['classification']);
    expect(rejectedPaths('intake.TipClassified', exampleWith('intake.TipClassified', { riskLevel: 'extreme' }))).toEqual(['riskLevel']);
    expect(rejectedPaths('intake.TipClassified', exampleWith('intake.TipClassified', { suspectedForms: ['forced-labour', 'forced-labour'] }))).toEqual(['suspectedForms.1']);
    expect(rejectedPaths('intake.TipClassified', exampleWith('intake.TipClassified', { note: 'the caller sounded scared' }))).toContain('note');
  });

  it('closes with the detail its outcome needs and no other', () => {
    expect(rejectedPaths('intake.TipClosed', { tipId: tip, outcome: 'unfounded' })).toEqual([]);
    expect(rejectedPaths('intake.TipClosed', { tipId: tip, outcome: 'duplicate', duplicateOf: otherTip })).toEqual([]);
    expect(rejectedPaths('intake.TipClosed', { tipId: tip, outcome: 'transferred', transferredTo: 'Công an tỉnh Lào Cai' })).toEqual([]);
    expect(rejectedPaths('intake.TipClosed', { tipId: tip, outcome: 'referred' })).toEqual(['referralId']);
    expect(rejectedPaths('intake.TipClosed', { tipId: tip, outcome: 'unfounded', referralId: referral })).toEqual(['referralId']);
    expect(rejectedPaths('intake.TipClosed', { tipId: tip, outcome: 'duplicate', duplicateOf: tip })).toEqual(['duplicateOf']);
    expect(rejectedPaths('intake.TipClosed', { tipId: tip, outcome: 'resolved' })).toContain('outcome');
  });
});
