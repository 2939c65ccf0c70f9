import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GENESIS_HASH, hashEvent, newId } from '@nrm/contracts';
import type { HashedEvent, RecordedEvent } from '@nrm/contracts';
import { eventually, startAgencyTestApp } from '@nrm/agency-kit/testing';
import type { AgencyTestApp } from '@nrm/agency-kit/testing';
import { intakeService } from '@nrm/intake';
import { createSqliteArchiveStore } from '../archive/sqlite/sqlite-archive-store.ts';
import { auditService } from '../index.ts';
import { reportingPeriod } from './reporting-period.ts';
import { foldStatistics } from './statistics-fold.ts';
import { statisticsProjection } from './statistics-projection.ts';
import { statisticsReport } from './statistics-report.ts';
import type { StatisticsReport } from './statistics-report.ts';

let position = 0;
function recorded(type: string, occurredAt: string, caseId: string, data: Record<string, unknown>): RecordedEvent {
  const agency = type.slice(0, type.indexOf('.')) as RecordedEvent['agency'];
  const hashed: HashedEvent = { id: newId(), type, schemaVersion: 1, occurredAt, agency, actor: 'statistics-test', caseId, causationId: null, traceparent: null, data, stream: `${agency}-${newId()}`, revision: 0, recordedAt: occurredAt, prevHash: GENESIS_HASH };
  return { ...hashed, position: position++, hash: hashEvent(hashed) };
}

describe('the statistics projection over the archive', () => {
  it('kept up to date as events arrive gives the same report as a rebuild from the whole archive', async () => {
    const archive = createSqliteArchiveStore({ path: ':memory:' });
    try {
      const [c1, c2] = [newId(), newId()];
      const [t1, t2, r1, p1] = [newId(), newId(), newId(), newId()];
      const first = [
        recorded('intake.TipReceived', '2026-10-01T01:00:00.000Z', c1, { tipId: t1, province: 'Bình Dương' }),
        recorded('intake.ReferralIssued', '2026-10-01T02:00:00.000Z', c1, { referralId: r1, to: 'identification' }),
        recorded('identification.VictimIdentified', '2026-10-02T02:00:00.000Z', c2, { personId: p1, province: 'Sóc Trăng' }),
      ];
      const second = [
        recorded('intake.TipClassified', '2026-10-01T03:00:00.000Z', c1, { tipId: t1 }),
        recorded('identification.ReferralAccepted', '2026-10-01T06:00:00.000Z', c1, { referralId: r1, from: 'intake' }),
        recorded('protection.ProtectionCaseOpened', '2026-10-03T02:00:00.000Z', c2, { personId: p1, province: 'Cần Thơ' }),
        recorded('intake.TipReceived', '2026-12-15T01:00:00.000Z', c2, { tipId: t2, province: 'Cần Thơ' }),
      ];
      const live = statisticsProjection(archive);
      const period = reportingPeriod('2026-Q4');
      await archive.record(first);
      const early = statisticsReport(await live.current(), period);
      expect(early.total.tips.classified).toBe(0);
      await archive.record(second);
      const later = statisticsReport(await live.current(), period);
      const rebuilt = statisticsReport(await statisticsProjection(archive).current(), period);
      expect(later).toEqual(rebuilt);
      expect(later).toEqual(statisticsReport(foldStatistics([...first, ...second]), period));
      expect(later.events).toBe(7);
      expect(later.provinces.find((entry) => entry.province === 'Hồ Chí Minh')!.figures).toMatchObject({ tips: { received: 1, classified: 1 }, referrals: { total: { issued: 1, accepted: 1, medianSecondsToAcceptance: 4 * 3600 } } });
      expect(later.provinces.find((entry) => entry.province === 'Cần Thơ')!.figures.victims).toMatchObject({ identified: 1, protected: 1, protectedRate: { rate: 1, met: true } });
      expect(later.total.tips.received).toBe(1);
    } finally {
      await archive.close();
    }
  });
});

describe('GET /v1/audit/statistics', () => {
  let backbone: AgencyTestApp;
  beforeAll(async () => {
    backbone = await startAgencyTestApp([intakeService, auditService]);
  });
  afterAll(async () => backbone?.close());

  const get = async (query: string, roles = ['auditor']) =>
    backbone.app.inject({ method: 'GET', url: `/v1/audit/statistics${query}`, headers: { authorization: `Bearer ${await backbone.token('audit', roles)}` } });

  it('answers JSON, CSV and HTML from the archive to an auditor', async () => {
    const received = await backbone.call('intake', 'POST', '/v1/intake/tips', { channel: 'hotline-111', province: 'Kiên Giang', allegedPlace: { country: 'KH' }, statement: 'Two girls taken across the border at Hà Tiên.' });
    expect(received.status).toBe(201);
    const caseId = received.body.caseId as string;
    await backbone.call('intake', 'POST', `/v1/intake/cases/${caseId}/classification`, { tipId: caseId, classification: 'suspected-trafficking', riskLevel: 'high' });
    const year = `${new Date(Date.now() + 7 * 3_600_000 + 17 * 86_400_000).getUTCFullYear()}`;
    const report = await eventually(async () => {
      const answer = await get(`?period=${year}&province=An%20Giang`);
      expect(answer.statusCode).toBe(200);
      const body = answer.json() as StatisticsReport;
      expect(body.total.tips).toMatchObject({ received: 1, classified: 1, classifiedRate: { rate: 1, met: true } });
      return body;
    });
    expect(report).toMatchObject({ province: 'An Giang', period: { label: year, kind: 'year' } });
    expect(report.provinces.map((entry) => entry.province)).toEqual(['An Giang']);

    const csv = await get(`?period=${year}&format=csv`);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.body).toContain(`${year},An Giang,tips.received,1,,`);
    expect(csv.body).toContain(`${year},Cả nước,tips.classifiedRate,1,1,true`);

    const html = await get(`?period=${year}&format=html`);
    expect(html.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(html.body).toContain('<html lang="vi">');
    expect(html.body).toContain('<th scope="row">An Giang</th><td>1</td><td>1</td>');
    expect(html.body).not.toContain('Hà Tiên');
  });

  it('refuses bad parameters with problem+json naming the parameter, and anyone but an auditor', async () => {
    for (const query of ['', '?period=2026-Q5', '?period=2026&province=Atlantis', '?period=2026&format=pdf', '?period=1999']) {
      const answer = await get(query);
      expect(answer.statusCode, query).toBe(400);
      expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(answer.body, query).toMatch(/period|province|format/);
    }
    expect((await get('?period=2026', ['clerk'])).statusCode).toBe(403);
  });
});
