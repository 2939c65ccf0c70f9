// The demo's second case: the other direction of the border. On the Cambodian police's request, a
// Cambodian girl held in a bar in Tây Ninh is recovered by rescue and referred to protection, which shelters her and records her
// guardian's consent to the handover; rescue then returns her to Cambodia through Mộc Bài
// (trao trả): the handover planned, scheduled with the Cambodian side and completed. Each stage
// becomes a signed packet for the Cambodian desk that serves the gate.
import type { Agency } from '@nrm/contracts';
import type { BackboneClient } from '../backbone-client.ts';
import type { Answer, ChainStep } from './referral-chain.ts';
import { incomingReferral, shelterCode } from './referral-chain.ts';

export type HandoverStory = {
  victim: { fullName: string; dateOfBirth: string; sex: 'female' | 'male'; ageGroup: string; child: boolean; nationality: 'KH' | 'LA' | 'CN' };
  /** Her country, by name: it asked for the rescue and receives her back. */
  countryName: string;
  /** Where she was found in Viet Nam. */
  foundIn: { province: string; locality: string };
  borderGate: string;
  counterpartReference: string;
  receivedBy: string;
};

export const HANDOVER_STORY: HandoverStory = {
  victim: { fullName: 'Chan Sreymom', dateOfBirth: '2008-06-21', sex: 'female', ageGroup: '16-17', child: true, nationality: 'KH' },
  countryName: 'Cambodia',
  foundIn: { province: 'Tây Ninh', locality: 'a karaoke bar on National Road 22, Bến Cầu' },
  borderGate: 'Mộc Bài',
  counterpartReference: 'KH-SVR-2026-207',
  receivedBy: 'Svay Rieng provincial police, anti-trafficking office',
};

const isoDate = (date: Date) => date.toISOString().slice(0, 10);

export async function runOutgoingHandover(client: BackboneClient, story: HandoverStory, onStep: (step: ChainStep) => void = () => undefined, now = new Date()): Promise<{ caseId: string; personId: string; handoverId: string }> {
  const post = async (agency: Agency, path: string, body: unknown, action: string) => {
    const answer = await client.post<Answer>(agency, path, body);
    onStep({ agency, action, events: answer.events });
    return answer;
  };
  const { victim, foundIn } = story;
  const profile = { sex: victim.sex, ageGroup: victim.ageGroup, child: victim.child, nationality: victim.nationality };
  const toCountry = victim.nationality;

  // Rescue (giải cứu): on her country's request, the operation, the girl recovered, referred to protection.
  const requested = await post('rescue', '/rescues', { requestedBy: 'foreign-authority', country: 'VN', province: foundIn.province, locality: foundIn.locality, peopleCount: 1, minorCount: victim.child ? 1 : 0, urgency: 'high' }, `opens a case on ${story.countryName}'s request for a rescue`);
  const caseId = requested.caseId;
  const rescueId = String(requested.allocated?.rescueId);
  await post('rescue', `/cases/${caseId}/operation-plans`, { rescueId, plannedFor: new Date(now.getTime() - 6 * 3_600_000).toISOString(), country: 'VN', province: foundIn.province, forces: ['police', 'border-guard', 'social-workers'] }, 'plans the operation');
  await post('rescue', `/cases/${caseId}/operation-reports`, { rescueId, outcome: 'persons-recovered', personsRecovered: 1, minorsRecovered: victim.child ? 1 : 0, suspectsDetained: 1 }, 'reports it carried out');
  const recovered = await post('rescue', `/cases/${caseId}/recovered-persons`, { rescueId, persons: [{ person: { fullName: victim.fullName, dateOfBirth: victim.dateOfBirth }, ...profile }] }, 'records the girl it recovered');
  const personId = String((recovered.allocated?.personIds as string[])[0]);
  await post('rescue', `/cases/${caseId}/referrals`, { to: 'protection', kind: 'protection', priority: 'urgent', involvesChild: victim.child, personId, summary: `Foreign child victim (${toCountry}); needs shelter until she is returned` }, 'refers her to protection');

  // Protection: her case, her guardian's consent to the handover (without it the desk gets no personal data), shelter.
  const fromRescue = await incomingReferral(client, 'protection', 'rescue', caseId);
  await post('protection', `/cases/${caseId}/referrals/${fromRescue}/accept`, {}, 'accepts the referral');
  await post('protection', `/cases/${caseId}/opening`, { personId, referralId: fromRescue, province: foundIn.province, child: victim.child }, 'opens her protection case');
  await post('protection', `/cases/${caseId}/consents`, { personId, scopes: ['data-sharing', 'handover'], givenBy: victim.child ? 'parent-or-guardian' : 'person', form: 'written' }, 'records consent to the handover');
  await post('protection', `/cases/${caseId}/shelter-admissions`, { personId, shelter: shelterCode(foundIn.province), shelterKind: 'social-protection-centre', province: foundIn.province }, 'admits her to a shelter');

  // Rescue returns her home (trao trả): planned, scheduled with the receiving side, completed.
  const person = { personId, ...profile };
  const planned = await post('rescue', `/cases/${caseId}/handovers`, { toCountry, borderGate: story.borderGate, date: isoDate(new Date(now.getTime() + 7 * 86_400_000)), persons: [person], needs: ['escort', 'interpreter', 'child-protection-officer'] }, `plans her return to ${story.countryName} through ${story.borderGate}`);
  const handoverId = String(planned.allocated?.handoverId);
  await post('rescue', `/cases/${caseId}/handover-schedules`, { handoverId, date: isoDate(new Date(now.getTime() + 3 * 86_400_000)), counterpartReference: story.counterpartReference }, 'schedules it on the date agreed');
  await post('rescue', `/cases/${caseId}/handover-completions`, { handoverId, receivedBy: story.receivedBy }, `hands her over at ${story.borderGate}`);
  return { caseId, personId, handoverId };
}
