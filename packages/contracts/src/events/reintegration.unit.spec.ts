import { describe, expect, it } from 'vitest';
import { exampleIds } from '../testing/example-payloads.ts';
import { exampleWith, rejectedPaths } from '../testing/rejected-paths.ts';
import { fakeSealed } from '../testing/sealed-envelopes.ts';

const { otherPerson } = exampleIds;
const check = (name: string, changes: Record<string, unknown>) => rejectedPaths(`reintegration.${name}`, exampleWith(`reintegration.${name}`, changes));

describe('reintegration events', () => {
  it('agrees a plan of known support kinds, each once, in a provincial unit', () => {
    expect(check('ReintegrationPlanAgreed', { supports: [] })).toEqual(['supports']);
    expect(check('ReintegrationPlanAgreed', { supports: ['education', 'education'] })).toEqual(['supports.1']);
    expect(check('ReintegrationPlanAgreed', { province: 'Ha Tinh' })).toEqual(['province']);
    expect(check('ReintegrationPlanAgreed', { reviewBy: '2026-02-30' })).toEqual(['reviewBy']);
  });

  it('delivers support with an amount in whole đồng', () => {
    expect(check('ReintegrationSupportDelivered', { kind: 'cash-allowance', amountVnd: 2_000_000 })).toEqual([]);
    expect(check('ReintegrationSupportDelivered', { kind: 'lottery' })).toEqual(['kind']);
    expect(check('ReintegrationSupportDelivered', { amountVnd: 2_000_000_000 })).toEqual(['amountVnd']);
  });

  it('keeps visit and closing notes sealed for the person', () => {
    expect(check('FollowUpVisitMade', { note: 'lives with her aunt in Kỳ Anh' })).toContain('note');
    expect(check('FollowUpVisitMade', { note: fakeSealed(otherPerson) })).toEqual(['note']);
    expect(check('ReintegrationCaseClosed', { outcome: 'finished' })).toEqual(['outcome']);
    expect(check('ReintegrationCaseClosed', { note: fakeSealed(otherPerson) })).toEqual(['note']);
  });
});
