// The statistics projection's state: a fold over every archived event that keeps, per tip, per
// person, per referral and per return from abroad, only what the figures need — when each step
// happened and in which province (former provinces already mapped to their 2025 unit). The
// figures for a period are derived from it on request (statistics-report.ts), so one state
// answers every period and province, and an event of any age lands where it belongs.
//
// The state is mutated in place: it is a read model, not a decider, and folding a million
// events must not copy maps. Applying the same events in the same order gives the same state,
// whether folded at once or in slices: that is what makes a rebuild from the archive identical.
//
// Which event counts where (every time is the event's occurredAt):
// | record | created / updated by | province |
// | tip | intake.TipReceived; TipClassified (first), TipClosed (first) | TipReceived.province |
// | person (victim) | first event of identification, rescue, protection or reintegration naming the personId (not PersonalDataAccessed): received; VictimIdentified or VictimNotIdentified (first): verified; VictimIdentified: identified; ProtectionCaseOpened: protected; InitialSupportGiven or ReintegrationSupportDelivered (first): supported | each step's own province; a step without one (VerificationStepRecorded, PersonsRecovered) takes its case's |
// | referral | <agency>.ReferralIssued; <agency>.ReferralAccepted / Declined / Overdue (first of each) | its case's |
// | return | rescue.ReturnFromAbroadReceived: one handover, its persons, fromCountry, borderGate | ReturnFromAbroadReceived.province |
// A case's province is its tip's; a case without a tip takes the first province one of its events names.
import { PROVINCE_NAMES, currentProvinceOf } from '@nrm/contracts';
import type { CurrentProvince, Province, RecordedEvent } from '@nrm/contracts';

export type TipRecord = { province: CurrentProvince; received: number; classified?: number; resolved?: number };

export type StepRecord = { at: number; province: CurrentProvince | undefined };

export type PersonRecord = { caseId: string | null; received: StepRecord; verified?: StepRecord; identified?: StepRecord; protected?: StepRecord; supported?: StepRecord };

export type ReferralRecord = { caseId: string | null; to: string; issued?: number; accepted?: number; declined?: number; overdue?: number };

export type ReturnRecord = { at: number; province: CurrentProvince | undefined; country: string; borderGate: string | null; persons: number };

export type StatisticsState = {
  /** How many events were folded in. */
  events: number;
  caseProvinces: Map<string, { province: CurrentProvince; fromTip: boolean }>;
  tips: Map<string, TipRecord>;
  persons: Map<string, PersonRecord>;
  referrals: Map<string, ReferralRecord>;
  returns: ReturnRecord[];
};

export function initialStatistics(): StatisticsState {
  return { events: 0, caseProvinces: new Map(), tips: new Map(), persons: new Map(), referrals: new Map(), returns: [] };
}

const knownProvinces = new Set<string>(PROVINCE_NAMES);

/** The 2025 unit a province name counts under; undefined for no (or an unknown) name. */
export function provinceUnitOf(name: unknown): CurrentProvince | undefined {
  return typeof name === 'string' && knownProvinces.has(name) ? currentProvinceOf(name as Province) : undefined;
}

const PERSON_STEPS: Record<string, (keyof Omit<PersonRecord, 'caseId' | 'received'>)[]> = {
  'identification.VictimIdentified': ['verified', 'identified'],
  'identification.VictimNotIdentified': ['verified'],
  'protection.ProtectionCaseOpened': ['protected'],
  'protection.InitialSupportGiven': ['supported'],
  'reintegration.ReintegrationSupportDelivered': ['supported'],
};

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

function personIdsOf(data: Record<string, unknown>): string[] {
  if (Array.isArray(data.persons)) return data.persons.map((person) => str((person as { personId?: unknown }).personId)).filter((id) => id !== undefined);
  const personId = str(data.personId);
  return personId ? [personId] : [];
}

function noteCaseProvince(state: StatisticsState, caseId: string | null, province: CurrentProvince | undefined, fromTip: boolean): void {
  if (!caseId || !province) return;
  const known = state.caseProvinces.get(caseId);
  if (!known || (fromTip && !known.fromTip)) state.caseProvinces.set(caseId, { province, fromTip });
}

function evolveTip(state: StatisticsState, name: string, at: number, data: Record<string, unknown>, province: CurrentProvince | undefined): void {
  const tipId = str(data.tipId);
  if (!tipId) return;
  if (name === 'TipReceived') {
    if (province && !state.tips.has(tipId)) state.tips.set(tipId, { province, received: at });
    return;
  }
  const tip = state.tips.get(tipId);
  if (!tip) return;
  if (name === 'TipClassified') tip.classified ??= at;
  if (name === 'TipClosed') tip.resolved ??= at;
}

function evolveReferral(state: StatisticsState, event: RecordedEvent, name: string, at: number): void {
  const referralId = str(event.data.referralId);
  if (!referralId) return;
  // The receiving agency: named by the issuer's event, or the agency recording the answer.
  const to = name === 'ReferralIssued' ? str(event.data.to) : event.agency;
  if (!to) return;
  let referral = state.referrals.get(referralId);
  if (!referral) {
    referral = { caseId: event.caseId, to };
    state.referrals.set(referralId, referral);
  }
  if (name === 'ReferralIssued') referral.issued ??= at;
  if (name === 'ReferralAccepted') referral.accepted ??= at;
  if (name === 'ReferralDeclined') referral.declined ??= at;
  if (name === 'ReferralOverdue') referral.overdue ??= at;
}

/**
 * The agencies whose events name victims (intake knows tips, not persons yet). A record that
 * someone read a person's data (PersonalDataAccessed) is no step in their care, and may name
 * any vault subject: it never counts.
 */
const PERSON_AGENCIES = new Set<string>(['identification', 'rescue', 'protection', 'reintegration']);

const REFERRAL_EVENTS = new Set(['ReferralIssued', 'ReferralAccepted', 'ReferralDeclined', 'ReferralOverdue']);

/** Folds one event into the state (in place) and returns it. */
export function evolveStatistics(state: StatisticsState, event: RecordedEvent): StatisticsState {
  state.events++;
  const at = Date.parse(event.occurredAt);
  const data = event.data;
  const name = event.type.slice(event.type.indexOf('.') + 1);
  const province = provinceUnitOf(data.province);
  noteCaseProvince(state, event.caseId, province, event.type === 'intake.TipReceived');
  if (event.agency === 'intake') evolveTip(state, name, at, data, province);
  if (REFERRAL_EVENTS.has(name)) {
    evolveReferral(state, event, name, at);
    return state;
  }
  if (event.type === 'rescue.ReturnFromAbroadReceived') {
    const country = str(data.fromCountry);
    if (country) state.returns.push({ at, province, country, borderGate: str(data.borderGate) ?? null, persons: personIdsOf(data).length });
  }
  if (!PERSON_AGENCIES.has(event.agency) || name === 'PersonalDataAccessed') return state;
  for (const personId of personIdsOf(data)) {
    let person = state.persons.get(personId);
    if (!person) {
      person = { caseId: event.caseId, received: { at, province } };
      state.persons.set(personId, person);
    }
    for (const step of PERSON_STEPS[event.type] ?? []) person[step] ??= { at, province };
  }
  return state;
}

export function foldStatistics(events: Iterable<RecordedEvent>, state: StatisticsState = initialStatistics()): StatisticsState {
  for (const event of events) evolveStatistics(state, event);
  return state;
}
