// The statistics kept as a projection over the audit archive: on each request it folds only the
// events archived since the last one (the archive's dense sequence is its checkpoint), so it is
// live without a worker of its own. The first request after a start folds the whole archive:
// O(events) reads and folds (see docs/statistics.md for measured costs), and memory for one
// small record per tip, person, referral and return; later requests fold only what is new, then
// derive the figures in O(tips + persons + referrals + returns), kept until the archive grows.
// Rebuilding from sequence 0 folds the same events in the same order, so it gives the same
// state and the same report.
import type { CurrentProvince } from '@nrm/contracts';
import { MAX_READ_LIMIT } from '../archive/archive-store.ts';
import type { ArchiveStore } from '../archive/archive-store.ts';
import type { ReportingPeriod } from './reporting-period.ts';
import { evolveStatistics, initialStatistics } from './statistics-fold.ts';
import type { StatisticsState } from './statistics-fold.ts';
import { statisticsReport } from './statistics-report.ts';
import type { StatisticsReport } from './statistics-report.ts';

/** Reports kept per archive size; a few dozen periods × provinces is all anyone asks for at once. */
const MAX_CACHED_REPORTS = 64;

export type StatisticsProjection = {
  /** The state folded up to everything the archive holds now. */
  current(): Promise<StatisticsState>;
  /** The report of a period over everything the archive holds now. */
  report(period: ReportingPeriod, province: CurrentProvince | null): Promise<StatisticsReport>;
};

export function statisticsProjection(archive: ArchiveStore): StatisticsProjection {
  const state = initialStatistics();
  let next = 0;
  // One catch-up at a time: concurrent requests wait for the same one instead of folding twice.
  let catchingUp: Promise<StatisticsState> | null = null;

  async function catchUp(): Promise<StatisticsState> {
    for (;;) {
      const page = await archive.read({ from: next, limit: MAX_READ_LIMIT });
      for (const archived of page) evolveStatistics(state, archived.event);
      next += page.length;
      if (page.length < MAX_READ_LIMIT) return state;
    }
  }

  function current(): Promise<StatisticsState> {
    catchingUp ??= catchUp().finally(() => {
      catchingUp = null;
    });
    return catchingUp;
  }

  const reports = new Map<string, StatisticsReport>();
  let reportsAt = 0;
  return {
    current,
    async report(period, province) {
      await current();
      if (reportsAt !== state.events || reports.size >= MAX_CACHED_REPORTS) reports.clear();
      reportsAt = state.events;
      const key = `${period.label}|${province ?? ''}`;
      let report = reports.get(key);
      if (!report) reports.set(key, (report = statisticsReport(state, period, province)));
      return report;
    },
  };
}
