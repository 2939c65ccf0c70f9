// The statistics of a simulated data set, checked against figures this test computes on its own
// from the raw events in the backbone's log — simply, without the audit service's fold — and
// the same figures as CSV and in the printable HTML report.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackboneClient, simulate } from '@nrm/cli';
import type { BackboneClient, RunningBackbone } from '@nrm/cli';
import { CURRENT_PROVINCE_NAMES, currentProvinceOf } from '@nrm/contracts';
import type { Province, RecordedEvent } from '@nrm/contracts';
import { loadOrCreateDevKeys, mintToken } from '@nrm/service-kit';
import { startEmbeddedBackbone } from './embedded-backbone.ts';

let running: Awaited<ReturnType<typeof startEmbeddedBackbone>>;
let backbone: RunningBackbone;
let client: BackboneClient;

beforeAll(async () => {
  running = await startEmbeddedBackbone('statistics');
  backbone = running.backbone;
  client = await createBackboneClient({ baseUrl: backbone.url, dataDir: running.dataDir });
});

afterAll(async () => running?.stop());

type Counts = Record<string, number>;
type Report = {
  events: number;
  total: Figures;
  provinces: { province: string; figures: Figures }[];
};
type Figures = {
  tips: { received: number; classified: number; resolved: number; classifiedRate: { rate: number | null; met: boolean | null }; resolvedRate: { rate: number | null; met: boolean | null } };
  victims: Counts & { verifiedRate: { rate: number | null }; protectedRate: { rate: number | null }; supportedRate: { rate: number | null } };
  referrals: { byAgency: Record<string, { issued: number; accepted: number; declined: number; overdue: number; medianSecondsToAcceptance: number | null }> };
  returns: { handovers: number; persons: number; byCountryAndGate: { country: string; borderGate: string | null; handovers: number; persons: number }[] };
};

/** The quarter that holds this moment: quarters close on the 14th of their last month, Viet Nam time. */
function currentQuarter(now = Date.now()): string {
  const vietNam = new Date(now + 7 * 3_600_000);
  const shifted = vietNam.getUTCMonth() + 1 + (vietNam.getUTCDate() >= 15 ? 1 : 0);
  return shifted === 13 ? `${vietNam.getUTCFullYear() + 1}-Q1` : `${vietNam.getUTCFullYear()}-Q${Math.ceil(shifted / 3)}`;
}

const unit = (name: unknown) => currentProvinceOf(name as Province);
const medianOf = (values: number[]) => {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

/** The expected figures for one province (or all), straight from the events: every event of the run falls in the current quarter. */
function expectedFigures(events: readonly RecordedEvent[], province: string | null) {
  const tipProvinceOfCase = new Map(events.filter((event) => event.type === 'intake.TipReceived').map((event) => [event.caseId, unit(event.data.province)]));
  const here = (name: unknown) => province === null || unit(name) === province;
  const caseHere = (event: RecordedEvent) => province === null || tipProvinceOfCase.get(event.caseId) === province;
  const ofType = (type: string) => events.filter((event) => event.type === type);
  const tipsHere = (type: string) => ofType(type).filter(caseHere).length;
  const firstSeen = new Map<string, RecordedEvent>();
  for (const event of events) {
    if (['intake', 'audit', 'liaison'].includes(event.agency) || event.type.endsWith('.PersonalDataAccessed')) continue;
    const ids = Array.isArray(event.data.persons) ? (event.data.persons as { personId: string }[]).map((person) => person.personId) : typeof event.data.personId === 'string' ? [event.data.personId] : [];
    for (const id of ids) if (!firstSeen.has(id)) firstSeen.set(id, event);
  }
  const issuedAt = new Map(events.filter((event) => event.type.endsWith('.ReferralIssued')).map((event) => [event.data.referralId, Date.parse(event.occurredAt)]));
  const byAgency: Record<string, unknown> = {};
  for (const agency of ['intake', 'identification', 'rescue', 'protection', 'reintegration']) {
    const answers = (name: string) => ofType(`${agency}.${name}`).filter(caseHere);
    const accepted = answers('ReferralAccepted');
    byAgency[agency] = {
      issued: events.filter((event) => event.type.endsWith('.ReferralIssued') && event.data.to === agency).filter(caseHere).length,
      accepted: accepted.length,
      declined: answers('ReferralDeclined').length,
      overdue: answers('ReferralOverdue').length,
      medianSecondsToAcceptance: medianOf(accepted.map((event) => (Date.parse(event.occurredAt) - issuedAt.get(event.data.referralId)!) / 1000)),
    };
  }
  const returns = new Map<string, { country: string; borderGate: string | null; handovers: number; persons: number }>();
  for (const event of ofType('rescue.ReturnFromAbroadReceived').filter((event) => here(event.data.province))) {
    const key = `${event.data.fromCountry}/${event.data.borderGate}`;
    const entry = returns.get(key) ?? { country: event.data.fromCountry as string, borderGate: (event.data.borderGate as string | undefined) ?? null, handovers: 0, persons: 0 };
    entry.handovers++;
    entry.persons += (event.data.persons as unknown[]).length;
    returns.set(key, entry);
  }
  return {
    tips: { received: tipsHere('intake.TipReceived'), classified: tipsHere('intake.TipClassified'), resolved: tipsHere('intake.TipClosed') },
    victims: {
      // The simulation names a person first in a verification step, which carries no province: the case's counts.
      received: [...firstSeen.values()].filter((event) => (event.data.province === undefined ? caseHere(event) : here(event.data.province))).length,
      verified: ofType('identification.VictimIdentified').filter((event) => here(event.data.province)).length + ofType('identification.VictimNotIdentified').filter((event) => here(event.data.province)).length,
      identified: ofType('identification.VictimIdentified').filter((event) => here(event.data.province)).length,
      protected: ofType('protection.ProtectionCaseOpened').filter((event) => here(event.data.province)).length,
      supported: ofType('protection.InitialSupportGiven').filter((event) => here(event.data.province)).length,
    },
    referrals: { byAgency },
    returns: { handovers: [...returns.values()].reduce((sum, entry) => sum + entry.handovers, 0), persons: [...returns.values()].reduce((sum, entry) => sum + entry.persons, 0), byCountryAndGate: [...returns.values()] },
  };
}

async function auditorFetch(path: string): Promise<Response> {
  const keys = await loadOrCreateDevKeys(running.dataDir);
  const token = await mintToken({ privateKey: keys.privateKey, kid: keys.kid, subject: 'statistics-e2e', roles: ['auditor'], agency: 'audit', ttlSeconds: 600 });
  return fetch(`${backbone.url}/v1/audit${path}`, { headers: { authorization: `Bearer ${token}` } });
}

describe('statistics of a simulated data set (embedded)', () => {
  it('match the figures computed independently from the raw events, as JSON, CSV and HTML', async () => {
    const result = await simulate(client, { cases: 20, concurrency: 4, seed: 5 });
    expect(result.failures).toEqual([]);
    expect(result.completed).toBe(20);
    const period = currentQuarter();

    // The archive fills from the bus: wait until the report is computed from every event in the log.
    const { events, report } = await client.waitFor('the statistics to cover every event', async () => {
      const logged: RecordedEvent[] = [];
      for await (const event of backbone.store.readAll()) logged.push(event);
      const answer = await client.get<Report>('audit', `/statistics?period=${period}`);
      return answer.events === logged.length ? { events: logged, report: answer } : undefined;
    });

    for (const province of [null, ...CURRENT_PROVINCE_NAMES]) {
      const figures = province === null ? report.total : report.provinces.find((entry) => entry.province === province)!.figures;
      const expected = expectedFigures(events, province);
      const sortReturns = (list: Figures['returns']['byCountryAndGate']) => [...list].sort((a, b) => `${a.country}/${a.borderGate}`.localeCompare(`${b.country}/${b.borderGate}`));
      expect({ ...figures.returns, byCountryAndGate: sortReturns(figures.returns.byCountryAndGate) }, String(province)).toEqual({ ...expected.returns, byCountryAndGate: sortReturns(expected.returns.byCountryAndGate) });
      expect(figures.tips, String(province)).toMatchObject(expected.tips);
      expect(figures.victims, String(province)).toMatchObject(expected.victims);
      expect(figures.referrals.byAgency, String(province)).toEqual(expected.referrals.byAgency);
    }
    expect(report.total.tips.received).toBe(20);
    expect(report.total.returns.persons).toBe(20);
    // Every simulated case runs to its end: every target met.
    expect(report.total.tips.classifiedRate).toMatchObject({ rate: 1, met: true });
    expect(report.total.tips.resolvedRate).toMatchObject({ rate: 1, met: true });
    expect([report.total.victims.verifiedRate.rate, report.total.victims.protectedRate.rate, report.total.victims.supportedRate.rate]).toEqual([1, 1, 1]);

    const csv = await auditorFetch(`/statistics?period=${period}&format=csv`);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const rows = (await csv.text()).replace(/^\uFEFF/, '').trimEnd().split('\r\n').map((line) => line.split(','));
    expect(rows[0]).toEqual(['period', 'province', 'figure', 'value', 'target', 'met']);
    const tipsReceived = rows.filter((row) => row[2] === 'tips.received');
    expect(tipsReceived).toHaveLength(35);
    for (const { province, figures } of report.provinces) expect(tipsReceived.find((row) => row[1] === province)?.[3], province).toBe(String(figures.tips.received));
    expect(tipsReceived.find((row) => row[1] === 'Cả nước')?.[3]).toBe('20');

    const html = await (await auditorFetch(`/statistics?period=${period}&format=html`)).text();
    expect(html).toContain('<html lang="vi">');
    for (const { province, figures } of report.provinces) expect(html).toContain(`<th scope="row">${province}</th><td>${figures.tips.received}</td><td>${figures.tips.classified}</td><td>${figures.tips.resolved}</td>`);
    expect(html).toContain(`<th scope="row">Cả nước</th><td>20</td><td>20</td><td>20</td>`);
  });
});
