// The report as CSV: one row per province × figure (the country's total first, as "Cả nước"),
// after a header row. UTF-8 with a byte-order mark, so spreadsheet programs show the Vietnamese
// names as they are; RFC 4180 quoting.
import type { Figures, Rate, StatisticsReport } from './statistics-report.ts';

export const NATIONWIDE = 'Cả nước';

export type FigureRow = { figure: string; value: number | null; target: number | null; met: boolean | null };

const count = (figure: string, value: number): FigureRow => ({ figure, value, target: null, met: null });
const rateRow = (figure: string, rate: Rate): FigureRow => ({ figure, value: rate.rate === null ? null : Math.round(rate.rate * 10_000) / 10_000, target: rate.target, met: rate.met });

/** Every figure of one province (or the total) as named rows, in a fixed order. */
export function figureRows(figures: Figures): FigureRow[] {
  const { tips, victims, referrals, returns } = figures;
  const referralRows = Object.entries({ total: referrals.total, ...referrals.byAgency }).flatMap(([agency, values]) => [
    count(`referrals.${agency}.issued`, values.issued),
    count(`referrals.${agency}.accepted`, values.accepted),
    count(`referrals.${agency}.declined`, values.declined),
    count(`referrals.${agency}.overdue`, values.overdue),
    { figure: `referrals.${agency}.medianSecondsToAcceptance`, value: values.medianSecondsToAcceptance, target: null, met: null },
  ]);
  return [
    count('tips.received', tips.received),
    count('tips.classified', tips.classified),
    count('tips.resolved', tips.resolved),
    rateRow('tips.classifiedRate', tips.classifiedRate),
    rateRow('tips.resolvedRate', tips.resolvedRate),
    count('victims.received', victims.received),
    count('victims.verified', victims.verified),
    count('victims.identified', victims.identified),
    count('victims.protected', victims.protected),
    count('victims.supported', victims.supported),
    rateRow('victims.verifiedRate', victims.verifiedRate),
    rateRow('victims.protectedRate', victims.protectedRate),
    rateRow('victims.supportedRate', victims.supportedRate),
    ...referralRows,
    count('returns.handovers', returns.handovers),
    count('returns.persons', returns.persons),
    ...returns.byCountryAndGate.flatMap((entry) => {
      const where = `returns.${entry.country}.${entry.borderGate ?? 'not-overland'}`;
      return [count(`${where}.handovers`, entry.handovers), count(`${where}.persons`, entry.persons)];
    }),
  ];
}

function csvField(value: string | number | boolean | null): string {
  const text = value === null ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function statisticsCsv(report: StatisticsReport): string {
  const sections = [...(report.province ? [] : [{ province: NATIONWIDE, figures: report.total }]), ...report.provinces];
  const lines = [['period', 'province', 'figure', 'value', 'target', 'met'].join(',')];
  for (const { province, figures } of sections) {
    for (const row of figureRows(figures)) lines.push([report.period.label, province, row.figure, row.value, row.target, row.met].map(csvField).join(','));
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
