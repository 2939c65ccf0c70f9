// GET /v1/audit/statistics?period=2026-Q4|2026-H2|2026[&province=…][&format=json|csv|html]: the
// figures the agencies are held to, for one reporting period, per province and for the whole
// country, from the statistics projection over the audit archive. Auditors only. The figures
// are aggregates — no person, no case — so they carry no personal data.
import { z } from 'zod';
import { ProvinceSchema, currentProvinceOf } from '@nrm/contracts';
import { requireRole } from '@nrm/service-kit';
import type { NrmApp } from '@nrm/service-kit';
import type { ArchiveStore } from '../archive/archive-store.ts';
import { AUDITOR_ROLES } from '../case-history/case-events-route.ts';
import { PERIOD_PATTERN, reportingPeriod } from './reporting-period.ts';
import { statisticsCsv } from './statistics-csv.ts';
import { statisticsHtml } from './statistics-html.ts';
import { statisticsProjection } from './statistics-projection.ts';

const StatisticsQuerySchema = z.strictObject({
  period: z.string().regex(PERIOD_PATTERN, 'must be a year (2026), a half-year (2026-H2) or a quarter (2026-Q4)').describe('the reporting period; periods close on the 14th of their last month, Viet Nam time'),
  province: ProvinceSchema.optional().describe('one province (a former name counts as the 2025 unit it merged into); all 34 if absent'),
  format: z.enum(['json', 'csv', 'html']).default('json'),
});

export function registerStatisticsRoutes(app: NrmApp, archive: ArchiveStore): void {
  const projection = statisticsProjection(archive);
  app.get(
    '/statistics',
    {
      schema: {
        summary: 'Statistics of a reporting period per province: tips, victims, referrals, returns from abroad, against the targets',
        tags: ['audit'],
        querystring: StatisticsQuerySchema,
      },
      preHandler: [requireRole(...AUDITOR_ROLES)],
    },
    async (request, reply) => {
      const { period, province, format } = request.query;
      const report = await projection.report(reportingPeriod(period), province ? currentProvinceOf(province) : null);
      if (format === 'csv') {
        const name = `nrm-statistics-${report.period.label}.csv`;
        return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}"`).send(statisticsCsv(report));
      }
      if (format === 'html') return reply.type('text/html; charset=utf-8').send(statisticsHtml(report));
      return report;
    },
  );
}
