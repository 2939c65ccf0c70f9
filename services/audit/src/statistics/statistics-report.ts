// The figures of one reporting period, per province and for the whole country, derived from the
// statistics state. Counts are flows: what happened within the period. Rates follow a cohort:
// of what was received in the period, the share that reached the next step before the period
// closed — so a closed period's rates do not move when later events arrive, and a rate never
// exceeds 100%. A rate whose cohort is empty is null (nothing to meet or miss).
import { CURRENT_PROVINCE_NAMES, REFERRAL_AGENCIES } from '@nrm/contracts';
import type { CurrentProvince, RecordedEvent } from '@nrm/contracts';
import { inPeriod, reportingPeriod } from './reporting-period.ts';
import type { ReportingPeriod } from './reporting-period.ts';
import { foldStatistics } from './statistics-fold.ts';
import type { StatisticsState, StepRecord } from './statistics-fold.ts';

/** The targets the agencies are held to (DESIGN.md); "more than 90%" is read as at least 90%. */
export const TARGETS = { tipsClassified: 1, tipsResolved: 0.9, victimsVerified: 1, victimsProtected: 1, victimsSupported: 1 } as const;

export type Rate = { numerator: number; denominator: number; rate: number | null; target: number; met: boolean | null };

export type ReferralFigures = { issued: number; accepted: number; declined: number; overdue: number; medianSecondsToAcceptance: number | null };

export type ReturnFigures = { country: string; borderGate: string | null; handovers: number; persons: number };

export type Figures = {
  tips: { received: number; classified: number; resolved: number; classifiedRate: Rate; resolvedRate: Rate };
  victims: { received: number; verified: number; identified: number; protected: number; supported: number; verifiedRate: Rate; protectedRate: Rate; supportedRate: Rate };
  referrals: { total: ReferralFigures; byAgency: Record<string, ReferralFigures> };
  returns: { handovers: number; persons: number; byCountryAndGate: ReturnFigures[] };
};

export type StatisticsReport = {
  period: Omit<ReportingPeriod, 'fromMs' | 'toMs'> & { timeZone: 'Asia/Ho_Chi_Minh (UTC+7)' };
  /** How many archived events the figures were computed from. */
  events: number;
  /** The province asked for (its 2025 unit), or null for all. */
  province: CurrentProvince | null;
  total: Figures;
  provinces: { province: CurrentProvince; figures: Figures }[];
};

/** Raw tallies for one province; medians keep their samples until the end. */
type Tally = {
  tips: { received: number; classified: number; resolved: number; cohort: number; cohortClassified: number; cohortResolved: number };
  victims: { received: number; verified: number; identified: number; protected: number; supported: number; cohortReceived: number; cohortVerified: number; cohortIdentified: number; cohortProtected: number; cohortSupported: number };
  referrals: Map<string, { issued: number; accepted: number; declined: number; overdue: number; waits: number[] }>;
  returns: Map<string, ReturnFigures>;
};

const newTally = (): Tally => ({
  tips: { received: 0, classified: 0, resolved: 0, cohort: 0, cohortClassified: 0, cohortResolved: 0 },
  victims: { received: 0, verified: 0, identified: 0, protected: 0, supported: 0, cohortReceived: 0, cohortVerified: 0, cohortIdentified: 0, cohortProtected: 0, cohortSupported: 0 },
  referrals: new Map(),
  returns: new Map(),
});

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

const rate = (numerator: number, denominator: number, target: number): Rate => {
  const value = denominator === 0 ? null : numerator / denominator;
  return { numerator, denominator, rate: value, target, met: value === null ? null : value >= target };
};

const before = (step: StepRecord | number | undefined, period: ReportingPeriod) => step !== undefined && (typeof step === 'number' ? step : step.at) < period.toMs;

/** One pass over the state, tallying each record under its province (undefined: no province known). */
function tallies(state: StatisticsState, period: ReportingPeriod): Map<CurrentProvince | undefined, Tally> {
  const byProvince = new Map<CurrentProvince | undefined, Tally>();
  const tallyOf = (province: CurrentProvince | undefined) => {
    let tally = byProvince.get(province);
    if (!tally) byProvince.set(province, (tally = newTally()));
    return tally;
  };
  const caseProvince = (caseId: string | null) => (caseId ? state.caseProvinces.get(caseId)?.province : undefined);

  for (const tip of state.tips.values()) {
    const tally = tallyOf(tip.province).tips;
    if (inPeriod(period, tip.received)) {
      tally.received++;
      tally.cohort++;
      if (before(tip.classified, period)) tally.cohortClassified++;
      if (before(tip.resolved, period)) tally.cohortResolved++;
    }
    if (inPeriod(period, tip.classified)) tally.classified++;
    if (inPeriod(period, tip.resolved)) tally.resolved++;
  }

  for (const person of state.persons.values()) {
    const where = (step: StepRecord) => step.province ?? caseProvince(person.caseId);
    const count = (step: StepRecord | undefined, figure: 'received' | 'verified' | 'identified' | 'protected' | 'supported') => {
      if (step && inPeriod(period, step.at)) tallyOf(where(step)).victims[figure]++;
    };
    count(person.received, 'received');
    count(person.verified, 'verified');
    count(person.identified, 'identified');
    count(person.protected, 'protected');
    count(person.supported, 'supported');
    if (inPeriod(period, person.received.at)) {
      const tally = tallyOf(where(person.received)).victims;
      tally.cohortReceived++;
      if (before(person.verified, period)) tally.cohortVerified++;
    }
    if (person.identified && inPeriod(period, person.identified.at)) {
      const tally = tallyOf(where(person.identified)).victims;
      tally.cohortIdentified++;
      if (before(person.protected, period)) tally.cohortProtected++;
      if (before(person.supported, period)) tally.cohortSupported++;
    }
  }

  for (const referral of state.referrals.values()) {
    const tally = tallyOf(caseProvince(referral.caseId)).referrals;
    let figures = tally.get(referral.to);
    if (!figures) tally.set(referral.to, (figures = { issued: 0, accepted: 0, declined: 0, overdue: 0, waits: [] }));
    if (inPeriod(period, referral.issued)) figures.issued++;
    if (inPeriod(period, referral.declined)) figures.declined++;
    if (inPeriod(period, referral.overdue)) figures.overdue++;
    if (inPeriod(period, referral.accepted)) {
      figures.accepted++;
      if (referral.issued !== undefined) figures.waits.push((referral.accepted - referral.issued) / 1000);
    }
  }

  for (const handover of state.returns) {
    if (!inPeriod(period, handover.at)) continue;
    const tally = tallyOf(handover.province).returns;
    const key = `${handover.country}\u0000${handover.borderGate ?? ''}`;
    const figures = tally.get(key) ?? { country: handover.country, borderGate: handover.borderGate, handovers: 0, persons: 0 };
    figures.handovers++;
    figures.persons += handover.persons;
    tally.set(key, figures);
  }
  return byProvince;
}

function merged(parts: readonly Tally[]): Tally {
  const sum = newTally();
  for (const part of parts) {
    for (const key of Object.keys(sum.tips) as (keyof Tally['tips'])[]) sum.tips[key] += part.tips[key];
    for (const key of Object.keys(sum.victims) as (keyof Tally['victims'])[]) sum.victims[key] += part.victims[key];
    for (const [agency, figures] of part.referrals) {
      const into = sum.referrals.get(agency) ?? { issued: 0, accepted: 0, declined: 0, overdue: 0, waits: [] };
      sum.referrals.set(agency, { issued: into.issued + figures.issued, accepted: into.accepted + figures.accepted, declined: into.declined + figures.declined, overdue: into.overdue + figures.overdue, waits: [...into.waits, ...figures.waits] });
    }
    for (const [key, figures] of part.returns) {
      const into = sum.returns.get(key);
      sum.returns.set(key, into ? { ...into, handovers: into.handovers + figures.handovers, persons: into.persons + figures.persons } : { ...figures });
    }
  }
  return sum;
}

function figuresOf(tally: Tally): Figures {
  const { tips, victims } = tally;
  const byAgency: Record<string, ReferralFigures> = {};
  const all = { issued: 0, accepted: 0, declined: 0, overdue: 0, waits: [] as number[] };
  for (const agency of REFERRAL_AGENCIES) {
    const figures = tally.referrals.get(agency) ?? { issued: 0, accepted: 0, declined: 0, overdue: 0, waits: [] };
    byAgency[agency] = { issued: figures.issued, accepted: figures.accepted, declined: figures.declined, overdue: figures.overdue, medianSecondsToAcceptance: median(figures.waits) };
    all.issued += figures.issued;
    all.accepted += figures.accepted;
    all.declined += figures.declined;
    all.overdue += figures.overdue;
    all.waits.push(...figures.waits);
  }
  const returns = [...tally.returns.values()].sort((a, b) => a.country.localeCompare(b.country) || (a.borderGate ?? '').localeCompare(b.borderGate ?? '', 'vi'));
  return {
    tips: {
      received: tips.received,
      classified: tips.classified,
      resolved: tips.resolved,
      classifiedRate: rate(tips.cohortClassified, tips.cohort, TARGETS.tipsClassified),
      resolvedRate: rate(tips.cohortResolved, tips.cohort, TARGETS.tipsResolved),
    },
    victims: {
      received: victims.received,
      verified: victims.verified,
      identified: victims.identified,
      protected: victims.protected,
      supported: victims.supported,
      verifiedRate: rate(victims.cohortVerified, victims.cohortReceived, TARGETS.victimsVerified),
      protectedRate: rate(victims.cohortProtected, victims.cohortIdentified, TARGETS.victimsProtected),
      supportedRate: rate(victims.cohortSupported, victims.cohortIdentified, TARGETS.victimsSupported),
    },
    referrals: { total: { issued: all.issued, accepted: all.accepted, declined: all.declined, overdue: all.overdue, medianSecondsToAcceptance: median(all.waits) }, byAgency },
    returns: { handovers: returns.reduce((sum, entry) => sum + entry.handovers, 0), persons: returns.reduce((sum, entry) => sum + entry.persons, 0), byCountryAndGate: returns },
  };
}

/** The report of one period: every province (or the one asked for) and the total. */
export function statisticsReport(state: StatisticsState, period: ReportingPeriod, province: CurrentProvince | null = null): StatisticsReport {
  const byProvince = tallies(state, period);
  const provinces = (province ? [province] : CURRENT_PROVINCE_NAMES).map((name) => ({ province: name, tally: byProvince.get(name) ?? newTally() }));
  // The country's total also holds what no province could be found for.
  const total = province ? provinces[0]!.tally : merged([...byProvince.values()]);
  const { fromMs: _from, toMs: _to, ...shown } = period;
  return {
    period: { ...shown, timeZone: 'Asia/Ho_Chi_Minh (UTC+7)' },
    events: state.events,
    province,
    total: figuresOf(total),
    provinces: provinces.map(({ province: name, tally }) => ({ province: name, figures: figuresOf(tally) })),
  };
}

/** The pure fold end to end: the report of a period from a sequence of recorded events. */
export function statisticsOf(events: Iterable<RecordedEvent>, period: string, province: CurrentProvince | null = null): StatisticsReport {
  return statisticsReport(foldStatistics(events), reportingPeriod(period), province);
}
