// Rescue's integration tests share one way to drive it over HTTP on a real backbone: the bodies
// they send (with the personal values that must never reach the store in clear), calls that
// check their status, refusals that check nothing was written, and the cases they start from.
import { expect } from 'vitest';
import { newId } from '@nrm/contracts';
import { eventually, referralsOnlyService, startAgencyTestApp } from '@nrm/agency-kit/testing';
import type { AgencyTestApp } from '@nrm/agency-kit/testing';
import { rescueService } from '../index.ts';

/** Identification with only the shared referral lifecycle: it refers cases to rescue. */
export const startRescueBackbone = () => startAgencyTestApp([rescueService, referralsOnlyService('identification')]);

const person = (fullName: string, extra: Record<string, string> = {}) => ({ fullName, ...extra });

/** Three Vietnamese victims returned by Cambodia at Mộc Bài; the third a child. */
export const returned = {
  fromCountry: 'KH',
  borderGate: 'Mộc Bài',
  province: 'Tây Ninh',
  foreignReference: 'KH-SVR-2026-118',
  persons: [
    { person: person('Nguyễn Thị Hoa', { dateOfBirth: '1999-04-02', idNumber: '079199001234', phone: '0912 345 678' }), sex: 'female', ageGroup: '25-34', child: false, nationality: 'VN' },
    { person: person('Lò Văn Sáng', { address: 'bản Nà Ngòi, Kỳ Sơn, Nghệ An' }), sex: 'male', ageGroup: '18-24', child: false, nationality: 'VN' },
    { person: person('Trần Thị Bích', { photoRef: 'vault://photos/tb-0031' }), sex: 'female', ageGroup: '16-17', child: true, nationality: 'VN' },
  ],
};

/** Every personal value the tests send; none may be found in the store. */
export const secrets = ['Nguyễn Thị Hoa', '1999-04-02', '079199001234', '0912 345 678', 'Lò Văn Sáng', 'Nà Ngòi', 'Trần Thị Bích', 'tb-0031', 'Vong Phet', 'Khamla', 'Route 7', 'behind the Lào Cai gate'];

export const fieldsOf = (problem: { errors?: { field: string }[] }) => (problem.errors ?? []).map((issue) => issue.field);

export function rescueOverHttp(backbone: () => AgencyTestApp) {
  async function post(url: string, body: unknown, status = 201, headers?: Record<string, string>) {
    const response = await backbone().call('rescue', 'POST', `/v1/rescue${url}`, body, headers);
    expect(response.status, JSON.stringify(response.body)).toBe(status);
    return response;
  }

  async function view(caseId: string) {
    const response = await backbone().call('rescue', 'GET', `/v1/rescue/cases/${caseId}`);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return response.body;
  }

  async function refused(url: string, body: unknown, status: number, headers?: Record<string, string>) {
    const before = await backbone().store.headPosition();
    const response = await backbone().call('rescue', 'POST', `/v1/rescue${url}`, body, headers);
    expect(response.status, JSON.stringify(response.body)).toBe(status);
    expect(String(response.headers['content-type'])).toMatch(/^application\/problem\+json/);
    expect(await backbone().store.headPosition()).toBe(before);
    return response.body;
  }

  /** A Lao girl rescued on Laos's request: the case, the rescue and her personId. */
  async function rescuedLaoGirl() {
    const requested = await post('/rescues', { requestedBy: 'foreign-authority', country: 'VN', province: 'Nghệ An', locality: 'a karaoke bar on Route 7, Kỳ Sơn', peopleCount: 1, minorCount: 1, urgency: 'high' });
    const { caseId } = requested.body;
    const { rescueId } = requested.body.allocated;
    await post(`/cases/${caseId}/operation-plans`, { rescueId, plannedFor: '2026-11-20T22:00:00.000Z', country: 'VN', province: 'Nghệ An', forces: ['border-guard', 'police', 'social-workers'] });
    await post(`/cases/${caseId}/operation-reports`, { rescueId, outcome: 'persons-recovered', personsRecovered: 1, minorsRecovered: 1, suspectsDetained: 2 });
    const recovered = await post(`/cases/${caseId}/recovered-persons`, { rescueId, persons: [{ person: person('Vong Phet Khamla'), sex: 'female', ageGroup: '16-17', child: true, nationality: 'LA' }] });
    return { caseId: caseId as string, rescueId: rescueId as string, personId: recovered.body.allocated.personIds[0] as string };
  }

  /** A case identification referred to rescue, once rescue's inbox filed it. */
  async function referredCase() {
    const caseId = newId();
    const referral = { to: 'rescue', kind: 'rescue', priority: 'urgent', involvesChild: false, summary: 'identified victim held in a bar' };
    const issued = await backbone().call('identification', 'POST', `/v1/identification/cases/${caseId}/referrals`, referral);
    expect(issued.status, JSON.stringify(issued.body)).toBe(201);
    const filed = await eventually(async () => {
      const [incoming] = (await view(caseId)).referrals;
      expect(incoming).toMatchObject({ direction: 'incoming', counterpart: 'identification', status: 'received' });
      return incoming;
    });
    return { caseId, referralId: filed.referralId as string };
  }

  return { post, view, refused, rescuedLaoGirl, referredCase };
}
