// The reporting periods the agencies report on: quarter, half-year and year. Our reading of the
// reporting calendar (Decree 09/2019/NĐ-CP, art. 12, which the design's due dates of 15 March,
// 15 June, 15 September and 15 December match): figures close at the end of the 14th of a
// period's last month and the report is due on the 15th, so each period runs from the 15th of
// the month before it began to the 14th of its last month, in Viet Nam time (UTC+7, no daylight
// saving). Q1 2026 is 15 Dec 2025 – 14 Mar 2026 (due 15 March); the year 2026 is 15 Dec 2025 –
// 14 Dec 2026 (due 15 December): an event of 20 December 2026 counts in 2027.
import { ValidationError } from '@nrm/service-kit';

/** A year of this century, alone or with its half (H1, H2) or quarter (Q1–Q4). */
export const PERIOD_PATTERN = /^(20\d{2})(?:-(Q[1-4]|H[12]))?$/;

export type PeriodKind = 'quarter' | 'half-year' | 'year';

export type ReportingPeriod = {
  /** e.g. 2026-Q4, 2026-H2, 2026 */
  label: string;
  kind: PeriodKind;
  /** First instant in the period (UTC), inclusive: 00:00 Viet Nam time on the 15th. */
  from: string;
  /** First instant after it (UTC), exclusive: 00:00 Viet Nam time on the due date. */
  to: string;
  /** The first and last day of the period and its due date, as dates in Viet Nam. */
  firstDay: string;
  lastDay: string;
  due: string;
  fromMs: number;
  toMs: number;
};

const VIET_NAM_OFFSET_MS = 7 * 3_600_000;

/** [first month, last month] of each period within its year, 1-based; a first month of 0 is December of the year before. */
const MONTHS: Record<string, [number, number]> = { Q1: [0, 3], Q2: [3, 6], Q3: [6, 9], Q4: [9, 12], H1: [0, 6], H2: [6, 12], '': [0, 12] };

/** Midnight in Viet Nam at the start of the 15th of a month (month 0 = December of the year before), in epoch ms. */
function fifteenthInVietNam(year: number, month: number): number {
  return Date.UTC(year, month - 1, 15) - VIET_NAM_OFFSET_MS;
}

const vietNamDate = (ms: number) => new Date(ms + VIET_NAM_OFFSET_MS).toISOString().slice(0, 10);

/** Parses 2026-Q4, 2026-H2 or 2026; throws a ValidationError naming the `period` parameter otherwise. */
export function reportingPeriod(label: string): ReportingPeriod {
  const match = PERIOD_PATTERN.exec(label);
  if (!match) {
    throw new ValidationError(`period must be a year (2026), a half-year (2026-H2) or a quarter (2026-Q4) of 2000–2099; got ${label}`, [{ field: 'period', message: 'must look like 2026, 2026-H2 or 2026-Q4' }]);
  }
  const year = Number(match[1]);
  const part = match[2] ?? '';
  const [first, last] = MONTHS[part]!;
  const fromMs = fifteenthInVietNam(year, first);
  const toMs = fifteenthInVietNam(year, last);
  return {
    label,
    kind: part === '' ? 'year' : part.startsWith('Q') ? 'quarter' : 'half-year',
    from: new Date(fromMs).toISOString(),
    to: new Date(toMs).toISOString(),
    firstDay: vietNamDate(fromMs),
    lastDay: vietNamDate(toMs - 1),
    due: vietNamDate(toMs),
    fromMs,
    toMs,
  };
}

export const inPeriod = (period: ReportingPeriod, at: number | undefined): at is number => at !== undefined && at >= period.fromMs && at < period.toMs;
