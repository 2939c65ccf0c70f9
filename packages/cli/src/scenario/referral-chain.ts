// One case from tip to closed reintegration case, through the public HTTP API of all five
// agencies, as their officers would drive it: intake refers the tip; identification verifies
// and identifies the victim and refers her to rescue; rescue receives her back from abroad at
// a border gate and refers her to protection; protection opens her case, records consent,
// shelters and supports her and refers her to reintegration; reintegration plans, supports,
// follows up and closes. Each receiver accepts the referral from its own inbox; each
// completed referral is reported back. Every write carries an Idempotency-Key.
import type { Agency } from '@nrm/contracts';
import type { BackboneClient } from '../backbone-client.ts';
import type { CaseStory } from './case-story.ts';

export type Answer = { caseId: string; revision: number; events: { id: string; type: string }[]; allocated?: Record<string, string | string[]> };
type CaseView = { referrals: { referralId: string; direction: string; counterpart: string; status: string }[] };
type Inbox = { items: { referralId: string; caseId: string; from: string }[]; nextCursor: string | null };

export type ChainStep = { agency: Agency; action: string; events: { id: string; type: string }[] };

export async function runReferralChain(client: BackboneClient, story: CaseStory, onStep: (step: ChainStep) => void = () => undefined): Promise<{ caseId: string; personId: string }> {
  const post = async (agency: Agency, path: string, body: unknown, action: string) => {
    const answer = await client.post<Answer>(agency, path, body);
    onStep({ agency, action, events: answer.events });
    return answer;
  };
  const incoming = (to: Agency, from: Agency, caseId: string) => incomingReferral(client, to, from, caseId);
  const { victim, exploitation } = story;
  const person = { fullName: victim.fullName, dateOfBirth: victim.dateOfBirth, ...(victim.phone ? { phone: victim.phone } : {}) };
  const profile = { sex: victim.sex, ageGroup: victim.ageGroup, child: victim.child, nationality: 'VN' };

  // Intake: the tip (tiếp nhận), its classification (phân loại), the referral (chuyển tuyến).
  const tip = await post('intake', '/tips', { channel: story.tip.channel, province: story.tip.province, allegedPlace: { country: exploitation.country }, peopleCount: 1, minorCount: victim.child ? 1 : 0, statement: story.tip.statement, ...(story.tip.reporter ? { reporter: story.tip.reporter } : {}) }, 'receives the tip');
  const caseId = tip.caseId;
  await post('intake', `/cases/${caseId}/classification`, { tipId: caseId, classification: 'suspected-trafficking', riskLevel: victim.child ? 'critical' : 'high', suspectedForms: exploitation.forms }, 'classifies it');
  await post('intake', `/cases/${caseId}/referrals`, { to: 'identification', kind: 'verification', priority: 'urgent', involvesChild: victim.child, summary: `Presumed victim held in ${exploitation.country}` }, 'refers it to identification');

  // Identification: accept, verify, identify, refer to rescue, report the intake referral done.
  const fromIntake = await incoming('identification', 'intake', caseId);
  await post('identification', `/cases/${caseId}/referrals/${fromIntake}/accept`, {}, 'accepts the referral');
  const step = await post('identification', `/cases/${caseId}/verification-steps`, { step: 'interview', result: 'supports', note: `Interview with the family of ${victim.fullName}` }, 'records a verification step');
  const personId = String(step.allocated?.personId);
  await post('identification', `/cases/${caseId}/identified-victims`, { personId, person, ...profile, formsOfExploitation: exploitation.forms, exploitationCountry: exploitation.country, province: story.tip.province, homeProvince: story.homeProvince }, 'identifies the victim');
  await post('identification', `/cases/${caseId}/referrals`, { to: 'rescue', kind: 'rescue', priority: 'urgent', involvesChild: victim.child, personId, summary: `Identified victim still held in ${exploitation.country}` }, 'refers her to rescue');
  await post('identification', `/cases/${caseId}/referrals/${fromIntake}/complete`, { outcome: 'victim identified and referred to rescue' }, 'reports the intake referral done');
  await post('intake', `/cases/${caseId}/closure`, { tipId: caseId, outcome: 'referred', referralId: await issuedReferral(client, 'intake', caseId) }, 'closes the tip as referred');

  // Rescue: accept, receive her back at the border gate (trao trả / tiếp nhận trở về), refer to protection.
  const fromIdentification = await incoming('rescue', 'identification', caseId);
  await post('rescue', `/cases/${caseId}/referrals/${fromIdentification}/accept`, {}, 'accepts the referral');
  await post('rescue', `/cases/${caseId}/returns`, { fromCountry: exploitation.country, borderGate: story.borderGate, province: story.homeProvince, persons: [{ personId, person, ...profile }] }, `receives her back at ${story.borderGate}`);
  await post('rescue', `/cases/${caseId}/referrals`, { to: 'protection', kind: 'protection', priority: 'urgent', involvesChild: victim.child, personId, summary: 'Returned from abroad; needs shelter and care' }, 'refers her to protection');
  await post('rescue', `/cases/${caseId}/referrals/${fromIdentification}/complete`, { outcome: 'returned home' }, 'reports the identification referral done');

  // Protection: accept, open her case, consent, shelter, initial support, refer to reintegration.
  const fromRescue = await incoming('protection', 'rescue', caseId);
  await post('protection', `/cases/${caseId}/referrals/${fromRescue}/accept`, {}, 'accepts the referral');
  await post('protection', `/cases/${caseId}/opening`, { personId, referralId: fromRescue, province: story.homeProvince, child: victim.child }, 'opens her protection case');
  await post('protection', `/cases/${caseId}/consents`, { personId, scopes: ['data-sharing', 'handover', 'reintegration'], givenBy: victim.child ? 'parent-or-guardian' : 'person', form: 'written' }, 'records her consent');
  await post('protection', `/cases/${caseId}/shelter-admissions`, { personId, shelter: shelterCode(story.homeProvince), shelterKind: 'social-protection-centre', province: story.homeProvince }, 'admits her to a shelter');
  await post('protection', `/cases/${caseId}/initial-support`, { personId, kinds: ['food', 'medical', 'psychological', 'legal-aid'], province: story.homeProvince }, 'gives initial support');
  await post('protection', `/cases/${caseId}/referrals`, { to: 'reintegration', kind: 'reintegration', priority: 'normal', involvesChild: victim.child, personId, summary: 'Ready to go home; wants to finish school' }, 'refers her to reintegration');

  // Reintegration (tái hòa nhập): accept, plan, support, follow up, close; then protection completes.
  const fromProtection = await incoming('reintegration', 'protection', caseId);
  await post('reintegration', `/cases/${caseId}/referrals/${fromProtection}/accept`, {}, 'accepts the referral');
  await post('reintegration', `/cases/${caseId}/plans`, { personId, province: story.homeProvince, supports: victim.child ? ['education', 'psychosocial'] : ['vocational-training', 'psychosocial'], agreedWith: victim.child ? 'parent-or-guardian' : 'person' }, 'agrees a plan');
  await post('reintegration', `/cases/${caseId}/support-deliveries`, { personId, kind: victim.child ? 'education' : 'vocational-training', provider: 'womens-union', province: story.homeProvince }, 'delivers support');
  await post('reintegration', `/cases/${caseId}/follow-up-visits`, { personId, mode: 'home-visit', wellbeing: 'improving' }, 'visits her at home');
  await post('reintegration', `/cases/${caseId}/closure`, { personId, outcome: 'reintegrated' }, 'closes the case: reintegrated');
  await post('reintegration', `/cases/${caseId}/referrals/${fromProtection}/complete`, { outcome: 'reintegrated' }, 'reports the protection referral done');
  await post('protection', `/cases/${caseId}/referrals/${fromRescue}/complete`, { outcome: 'sheltered, supported and referred to reintegration' }, 'reports the rescue referral done');
  return { caseId, personId };
}

/** Waits until the referral `from` issued in this case is in `to`'s inbox, as its officers would see it. */
export function incomingReferral(client: BackboneClient, to: Agency, from: Agency, caseId: string): Promise<string> {
  return client.waitFor(`${to} to receive the referral from ${from}`, async () => {
    let after: string | null = null;
    do {
      const page: Inbox = await client.get<Inbox>(to, `/inbox?status=received&limit=100${after ? `&after=${encodeURIComponent(after)}` : ''}`);
      const found = page.items.find((item) => item.caseId === caseId && item.from === from);
      if (found) return found.referralId;
      after = page.nextCursor;
    } while (after);
    return undefined;
  });
}

/** The referral an agency issued in the case (the first), from its own case view. */
async function issuedReferral(client: BackboneClient, agency: Agency, caseId: string): Promise<string> {
  const view = await client.get<CaseView>(agency, `/cases/${caseId}`);
  const outgoing = view.referrals.find((referral) => referral.direction === 'outgoing');
  if (!outgoing) throw new Error(`${agency} issued no referral in case ${caseId}`);
  return outgoing.referralId;
}

/** The register code of the province's social protection centre, e.g. Tây Ninh → TN-SPC-01. */
export function shelterCode(province: string): string {
  const initials = province
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[Đđ]/g, 'D')
    .split(/[\s-]+/)
    .map((word) => word[0]?.toUpperCase() ?? '')
    .join('');
  return `${initials}-SPC-01`;
}
