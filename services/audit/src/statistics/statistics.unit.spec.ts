import { describe, expect, it } from 'vitest';
import type { RecordedEvent } from '@nrm/contracts';
import { reportingPeriod } from './reporting-period.ts';
import { foldStatistics, initialStatistics } from './statistics-fold.ts';
import { statisticsCsv } from './statistics-csv.ts';
import { statisticsHtml } from './statistics-html.ts';
import { median, statisticsOf, statisticsReport } from './statistics-report.ts';

let position = 0;
/** A recorded envelope with just what the fold reads; ids and hashes are placeholders. */
function recorded(type: string, occurredAt: string, caseId: string | null, data: Record<string, unknown>): RecordedEvent {
  const agency = type.slice(0, type.indexOf('.')) as RecordedEvent['agency'];
  const id = `01J${String(position).padStart(23, '0')}`;
  return { id, type, schemaVersion: 1, stream: `${agency}-${caseId}`, revision: 0, position: position++, occurredAt, recordedAt: occurredAt, agency, actor: 'test', caseId, causationId: null, traceparent: null, data, prevHash: '0'.repeat(64), hash: '1'.repeat(64) };
}

describe('reporting periods (closing on the 14th, Viet Nam time)', () => {
  it('runs a quarter from the 15th of the month before it to the 14th of its last month, due the 15th', () => {
    expect(reportingPeriod('2026-Q1')).toMatchObject({ kind: 'quarter', from: '2025-12-14T17:00:00.000Z', to: '2026-03-14T17:00:00.000Z', firstDay: '2025-12-15', lastDay: '2026-03-14', due: '2026-03-15' });
    expect(reportingPeriod('2026-Q4')).toMatchObject({ firstDay: '2026-09-15', lastDay: '2026-12-14', due: '2026-12-15' });
    expect(reportingPeriod('2026-H1')).toMatchObject({ kind: 'half-year', firstDay: '2025-12-15', due: '2026-06-15' });
    expect(reportingPeriod('2026-H2')).toMatchObject({ firstDay: '2026-06-15', due: '2026-12-15' });
    expect(reportingPeriod('2026')).toMatchObject({ kind: 'year', firstDay: '2025-12-15', lastDay: '2026-12-14', due: '2026-12-15' });
  });

  it('puts an event at 23:59 on the 14th Viet Nam time in the closing period and one a minute later in the next', () => {
    const events = [
      recorded('intake.TipReceived', '2026-03-14T16:59:59.999Z', 'c1', { tipId: 't1', province: 'Hà Nội' }),
      recorded('intake.TipReceived', '2026-03-14T17:00:00.000Z', 'c2', { tipId: 't2', province: 'Hà Nội' }),
    ];
    expect(statisticsOf(events, '2026-Q1').total.tips.received).toBe(1);
    expect(statisticsOf(events, '2026-Q2').total.tips.received).toBe(1);
    expect(statisticsOf(events, '2026-H1').total.tips.received).toBe(2);
  });

  it('refuses a malformed period, naming the parameter', () => {
    expect(() => reportingPeriod('2026-Q5')).toThrow(/period/);
    expect(() => reportingPeriod('1999')).toThrow(/period/);
  });
});

describe('statisticsOf', () => {
  it('counts tips by their province, a former province under the unit it merged into, with rates against the targets', () => {
    const events = [
      recorded('intake.TipReceived', '2026-10-01T03:00:00.000Z', 'c1', { tipId: 't1', province: 'Long An' }),
      recorded('intake.TipClassified', '2026-10-01T05:00:00.000Z', 'c1', { tipId: 't1', classification: 'suspected-trafficking' }),
      recorded('intake.TipClosed', '2026-10-02T05:00:00.000Z', 'c1', { tipId: 't1', outcome: 'unfounded' }),
      recorded('intake.TipReceived', '2026-10-03T03:00:00.000Z', 'c2', { tipId: 't2', province: 'Tây Ninh' }),
      recorded('intake.TipClassified', '2026-10-03T04:00:00.000Z', 'c2', { tipId: 't2', classification: 'forced-labour' }),
      // Resolved after the quarter closed: counts in Q1 2027, not in Q4's cohort.
      recorded('intake.TipClosed', '2026-12-20T04:00:00.000Z', 'c2', { tipId: 't2', outcome: 'unfounded' }),
      recorded('intake.TipReceived', '2026-10-04T03:00:00.000Z', 'c3', { tipId: 't3', province: 'Bà Rịa - Vũng Tàu' }),
    ];
    const report = statisticsOf(events, '2026-Q4');
    const tayNinh = report.provinces.find((entry) => entry.province === 'Tây Ninh')!.figures.tips;
    expect(tayNinh).toMatchObject({ received: 2, classified: 2, resolved: 1 });
    expect(tayNinh.classifiedRate).toEqual({ numerator: 2, denominator: 2, rate: 1, target: 1, met: true });
    expect(tayNinh.resolvedRate).toEqual({ numerator: 1, denominator: 2, rate: 0.5, target: 0.9, met: false });
    expect(report.provinces.find((entry) => entry.province === 'Hồ Chí Minh')!.figures.tips.received).toBe(1);
    expect(report.provinces.some((entry) => (entry.province as string) === 'Long An')).toBe(false);
    expect(report.provinces).toHaveLength(34);
    expect(report.total.tips).toMatchObject({ received: 3, classified: 2, resolved: 1 });
    expect(report.total.tips.classifiedRate.rate).toBeCloseTo(2 / 3);
    expect(statisticsOf(events, '2027-Q1').total.tips).toMatchObject({ received: 0, resolved: 1, resolvedRate: { rate: null, met: null } });
    expect(statisticsOf(events, '2026-Q4', 'Tây Ninh').provinces).toHaveLength(1);
  });

  it('counts victims received, verified, identified, protected and supported, a step without a province under its case', () => {
    const events = [
      recorded('intake.TipReceived', '2026-10-01T00:00:00.000Z', 'c1', { tipId: 't1', province: 'Hà Giang' }),
      recorded('identification.VerificationStepRecorded', '2026-10-02T00:00:00.000Z', 'c1', { personId: 'p1', step: 'interview', result: 'supports' }),
      recorded('identification.VictimIdentified', '2026-10-03T00:00:00.000Z', 'c1', { personId: 'p1', province: 'Tuyên Quang' }),
      recorded('rescue.ReturnFromAbroadReceived', '2026-10-04T00:00:00.000Z', 'c1', { handoverId: 'h1', fromCountry: 'CN', borderGate: 'Thanh Thủy', province: 'Tuyên Quang', persons: [{ personId: 'p1' }, { personId: 'p2' }] }),
      recorded('protection.ProtectionCaseOpened', '2026-10-05T00:00:00.000Z', 'c1', { personId: 'p1', province: 'Tuyên Quang', child: false }),
      recorded('protection.InitialSupportGiven', '2026-10-06T00:00:00.000Z', 'c1', { personId: 'p1', province: 'Tuyên Quang', kinds: ['food'] }),
      recorded('reintegration.ReintegrationSupportDelivered', '2026-10-07T00:00:00.000Z', 'c1', { personId: 'p1', province: 'Tuyên Quang', kind: 'education' }),
      recorded('identification.VictimNotIdentified', '2026-10-08T00:00:00.000Z', 'c1', { personId: 'p2', province: 'Tuyên Quang', reason: 'other-offence' }),
      recorded('protection.PersonalDataAccessed', '2026-10-08T01:00:00.000Z', 'c1', { personId: 't1', fields: [], purpose: 'a reporter read' }),
      recorded('rescue.ReturnFromAbroadReceived', '2026-10-09T00:00:00.000Z', 'c9', { handoverId: 'h2', fromCountry: 'MY', province: 'Hà Nội', persons: [{ personId: 'p3' }] }),
    ];
    const report = statisticsOf(events, '2026-Q4');
    const victims = report.provinces.find((entry) => entry.province === 'Tuyên Quang')!.figures.victims;
    expect(victims).toMatchObject({ received: 2, verified: 2, identified: 1, protected: 1, supported: 1 });
    expect(victims.verifiedRate).toMatchObject({ numerator: 2, denominator: 2, met: true });
    expect(victims.protectedRate).toMatchObject({ numerator: 1, denominator: 1, met: true });
    expect(victims.supportedRate).toMatchObject({ numerator: 1, denominator: 1, met: true });
    expect(report.total.victims.received).toBe(3);
    expect(report.total.returns).toEqual({
      handovers: 2,
      persons: 3,
      byCountryAndGate: [
        { country: 'CN', borderGate: 'Thanh Thủy', handovers: 1, persons: 2 },
        { country: 'MY', borderGate: null, handovers: 1, persons: 1 },
      ],
    });
  });

  it('counts referrals per receiving agency under their case’s province, with the median time to acceptance', () => {
    const issued = (referralId: string, at: string, caseId = 'c1') => recorded('intake.ReferralIssued', at, caseId, { referralId, to: 'identification', kind: 'verification' });
    const events = [
      recorded('intake.TipReceived', '2026-10-01T00:00:00.000Z', 'c1', { tipId: 't1', province: 'Quảng Bình' }),
      issued('r1', '2026-10-01T00:00:00.000Z'),
      issued('r2', '2026-10-01T00:00:00.000Z'),
      issued('r3', '2026-10-01T00:00:00.000Z'),
      issued('r4', '2026-10-01T00:00:00.000Z'),
      issued('r5', '2026-10-01T00:00:00.000Z'),
      recorded('identification.ReferralAccepted', '2026-10-01T01:00:00.000Z', 'c1', { referralId: 'r1', from: 'intake' }),
      recorded('identification.ReferralAccepted', '2026-10-01T03:00:00.000Z', 'c1', { referralId: 'r2', from: 'intake' }),
      recorded('identification.ReferralDeclined', '2026-10-01T03:00:00.000Z', 'c1', { referralId: 'r3', from: 'intake', reason: 'duplicate' }),
      recorded('identification.ReferralOverdue', '2026-10-03T00:00:00.000Z', 'c1', { referralId: 'r4', from: 'intake' }),
      recorded('identification.ReferralOverdue', '2026-10-04T00:00:00.000Z', 'c1', { referralId: 'r4', from: 'intake' }),
    ];
    const figures = statisticsOf(events, '2026-Q4').provinces.find((entry) => entry.province === 'Quảng Trị')!.figures.referrals;
    expect(figures.byAgency.identification).toEqual({ issued: 5, accepted: 2, declined: 1, overdue: 1, medianSecondsToAcceptance: 7200 });
    expect(figures.total).toEqual(figures.byAgency.identification);
    expect(figures.byAgency.rescue).toEqual({ issued: 0, accepted: 0, declined: 0, overdue: 0, medianSecondsToAcceptance: null });
    expect([median([3, 1, 2]), median([4, 1, 3, 2]), median([])]).toEqual([2, 2.5, null]);
  });

  it('gives the same report folded at once and folded in slices', () => {
    const events = [
      recorded('intake.TipReceived', '2026-10-01T00:00:00.000Z', 'c1', { tipId: 't1', province: 'Hà Nội' }),
      recorded('identification.ReferralAccepted', '2026-10-01T01:00:00.000Z', 'c1', { referralId: 'r1', from: 'intake' }),
      recorded('intake.ReferralIssued', '2026-10-01T00:30:00.000Z', 'c1', { referralId: 'r1', to: 'identification' }),
      recorded('identification.VictimIdentified', '2026-10-03T00:00:00.000Z', 'c1', { personId: 'p1', province: 'Hà Tây' }),
    ];
    const sliced = initialStatistics();
    for (const event of events) foldStatistics([event], sliced);
    const period = reportingPeriod('2026');
    expect(statisticsReport(sliced, period)).toEqual(statisticsReport(foldStatistics(events), period));
    expect(statisticsReport(sliced, period).total.referrals.total.medianSecondsToAcceptance).toBe(1800);
  });

  it('renders CSV rows per province × figure and a self-contained HTML report', () => {
    const events = [recorded('intake.TipReceived', '2026-10-01T00:00:00.000Z', 'c1', { tipId: 't1', province: 'Đắk Nông' })];
    const report = statisticsOf(events, '2026-Q4');
    const csv = statisticsCsv(report);
    const lines = csv.replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    expect(lines[0]).toBe('period,province,figure,value,target,met');
    expect(lines).toContain('2026-Q4,Lâm Đồng,tips.received,1,,');
    expect(lines).toContain('2026-Q4,Lâm Đồng,tips.classifiedRate,0,1,false');
    expect(lines).toContain('2026-Q4,Cả nước,tips.received,1,,');
    const html = statisticsHtml(report);
    expect(html).toMatch(/^<!doctype html>\n<html lang="vi">/);
    expect(html).toContain('<svg');
    expect(html).toContain('@media print');
    expect(html).not.toMatch(/<script|<link|src="http/);
    expect(html).toContain('<th scope="row">Lâm Đồng</th><td>1</td>');
  });
});
