// One valid payload for every event type the five agencies define (the referral lifecycle has
// its own tests), so schema tests, decider tests and demos start from data that passes. The
// coverage test fails when an event type has no example here.
import { fakeSealed } from './sealed-envelopes.ts';

/** Fixed ids, so examples compare equal across runs. */
export const exampleIds = {
  tip: '01K00000000000000000000001',
  otherTip: '01K00000000000000000000002',
  person: '01K00000000000000000000003',
  otherPerson: '01K00000000000000000000004',
  referral: '01K00000000000000000000005',
  rescue: '01K00000000000000000000006',
  handover: '01K00000000000000000000007',
  consent: '01K00000000000000000000008',
} as const;

const { tip, person, otherPerson, referral, rescue, handover, consent } = exampleIds;

export const sealedPerson = (subject: string) => ({ fullName: fakeSealed(subject), dateOfBirth: fakeSealed(subject), idNumber: fakeSealed(subject) });

const packet = '01JBQ7Y0PACKET0000000000AA';
const deskProfile = {
  country: 'LA',
  name: 'Border liaison office, Nam Phao',
  borderGates: ['Cầu Treo'],
  language: 'lo',
  fieldProfile: ['fullName', 'dateOfBirth', 'idNumber'],
  contact: { office: 'Bolikhamxay provincial police, anti-trafficking division', email: 'liaison@example.la' },
};
const deskKeys = {
  keys: [
    { kty: 'OKP', crv: 'Ed25519', x: 'plHz6HvGmeVlX_tvOP-mHyIvtsOoxkPl6WPyv9BMNqY', kid: 'la-cau-treo-sig-2026', use: 'sig' },
    { kty: 'OKP', crv: 'X25519', x: 'bc5RbCUGUGlZbN7j407_OqFch7VDAPRg6hNCz7cNXRA', kid: 'la-cau-treo-enc-2026', use: 'enc' },
  ],
};
const handoverFacts = {
  handoverId: handover,
  toCountry: 'LA',
  borderGate: 'Cầu Treo',
  persons: [{ personId: person, sex: 'female', ageGroup: '16-17', child: true, nationality: 'LA' }],
  needs: ['escort', 'interpreter'],
};

export const examplePayloads: Record<string, Record<string, unknown>> = {
  'intake.TipReceived': {
    tipId: tip,
    channel: 'hotline-111',
    province: 'Nghệ An',
    allegedPlace: { country: 'KH', locality: fakeSealed(tip) },
    peopleCount: 3,
    minorCount: 1,
    statement: fakeSealed(tip),
    reporter: { phone: fakeSealed(tip) },
  },
  'intake.TipClassified': { tipId: tip, classification: 'suspected-trafficking', riskLevel: 'high', suspectedForms: ['forced-criminality'], note: fakeSealed(tip) },
  'intake.TipClosed': { tipId: tip, outcome: 'referred', referralId: referral },
  'identification.VerificationStepRecorded': { personId: person, step: 'interview', result: 'supports', note: fakeSealed(person) },
  'identification.VictimIdentified': {
    personId: person,
    person: sealedPerson(person),
    sex: 'female',
    ageGroup: '16-17',
    child: true,
    nationality: 'VN',
    formsOfExploitation: ['forced-criminality', 'forced-labour'],
    exploitationCountry: 'KH',
    province: 'Nghệ An',
    homeProvince: 'Hà Tĩnh',
  },
  'identification.VictimNotIdentified': { personId: person, reason: 'insufficient-evidence', province: 'Đắk Nông' },
  'rescue.RescueRequested': { rescueId: rescue, requestedBy: 'referral', referralId: referral, country: 'VN', province: 'Lào Cai', locality: fakeSealed(rescue), peopleCount: 4, minorCount: 2, urgency: 'critical' },
  'rescue.RescueOperationPlanned': { rescueId: rescue, plannedFor: '2025-08-01T22:00:00.000Z', country: 'VN', province: 'Lào Cai', forces: ['police', 'border-guard', 'social-workers'] },
  'rescue.RescueOperationExecuted': { rescueId: rescue, outcome: 'persons-recovered', personsRecovered: 4, minorsRecovered: 2, suspectsDetained: 1 },
  'rescue.PersonsRecovered': {
    rescueId: rescue,
    persons: [
      { personId: person, person: sealedPerson(person), sex: 'female', ageGroup: '12-15', child: true, nationality: 'VN' },
      { personId: otherPerson, person: { fullName: fakeSealed(otherPerson) }, sex: 'male', ageGroup: 'unknown', child: false, nationality: 'undetermined' },
    ],
  },
  'rescue.ReturnFromAbroadReceived': {
    handoverId: handover,
    fromCountry: 'CN',
    borderGate: 'Móng Cái',
    province: 'Quảng Ninh',
    foreignReference: 'DX-2025-114',
    persons: [{ personId: person, person: sealedPerson(person), sex: 'female', ageGroup: '18-24', child: false, nationality: 'VN' }],
  },
  'rescue.HandoverPlanned': { ...handoverFacts, date: '2025-09-10' },
  'rescue.HandoverScheduled': { ...handoverFacts, date: '2025-09-12', counterpartReference: 'LA-BLK-77' },
  'rescue.HandoverCompleted': { ...handoverFacts, date: '2025-09-12', receivedBy: 'Bolikhamxay provincial police' },
  'protection.ProtectionCaseOpened': { personId: person, referralId: referral, province: 'Hồ Chí Minh', child: true },
  'protection.ConsentRecorded': { personId: person, consentId: consent, scopes: ['data-sharing', 'reintegration'], givenBy: 'parent-or-guardian', form: 'written', document: fakeSealed(person) },
  'protection.ConsentWithdrawn': { personId: person, consentId: consent, scopes: ['data-sharing'] },
  'protection.ShelterAdmitted': { personId: person, shelter: 'HCM-SPC-02', shelterKind: 'social-protection-centre', province: 'Hồ Chí Minh' },
  'protection.ShelterDischarged': { personId: person, shelter: 'HCM-SPC-02', reason: 'returned-home' },
  'protection.SafetyMeasureTaken': { personId: person, measure: 'identity-confidentiality', note: fakeSealed(person) },
  'protection.InitialSupportGiven': { personId: person, kinds: ['food', 'clothing', 'travel-allowance'], amountVnd: 500_000, province: 'Bà Rịa - Vũng Tàu' },
  'reintegration.ReintegrationPlanAgreed': { personId: person, province: 'Hà Tĩnh', supports: ['vocational-training', 'psychosocial'], agreedWith: 'person', reviewBy: '2026-03-01' },
  'reintegration.ReintegrationSupportDelivered': { personId: person, kind: 'vocational-training', provider: 'womens-union', province: 'Hà Tĩnh' },
  'reintegration.FollowUpVisitMade': { personId: person, mode: 'home-visit', wellbeing: 'improving', note: fakeSealed(person) },
  'reintegration.ReintegrationCaseClosed': { personId: person, outcome: 'reintegrated' },
  'liaison.DeskRegistered': { deskId: 'la-cau-treo', ...deskProfile, keys: deskKeys },
  'liaison.DeskProfileChanged': { deskId: 'la-cau-treo', ...deskProfile, fieldProfile: ['fullName'] },
  'liaison.DeskKeysRotated': { deskId: 'la-cau-treo', keys: deskKeys, retiredKids: ['la-cau-treo-sig-2025'] },
  'liaison.HandoverPacketIssued': {
    packetId: packet,
    deskId: 'la-cau-treo',
    handoverId: handover,
    stage: 'scheduled',
    sourceEventId: tip,
    packetSha256: 'a'.repeat(64),
    signingKid: 'nrm-liaison-1',
    encryptionKid: 'la-cau-treo-enc-2026',
    personCount: 1,
    shared: [{ personId: person, fields: ['fullName', 'dateOfBirth'] }],
    withheld: [],
    acknowledgeBy: '2025-09-13T00:00:00.000Z',
  },
  'liaison.HandoverAcknowledged': { packetId: packet, deskId: 'la-cau-treo', handoverId: handover, kind: 'person-received', personId: person, acknowledgedAt: '2025-09-12T09:30:00.000Z', kid: 'la-cau-treo-sig-2026', jws: 'eyJhbGciOiJFZERTQSJ9.e30.c2lnbmF0dXJl' },
  'liaison.HandoverAcknowledgementOverdue': { packetId: packet, deskId: 'la-cau-treo', handoverId: handover, acknowledgeBy: '2025-09-13T00:00:00.000Z' },
  'liaison.TreeHeadCosigned': { deskId: 'la-cau-treo', treeSize: 1200, rootHash: 'ZmFrZS1yb290LWhhc2gtZm9yLXRoZS1leGFtcGxlLTA=', kid: 'la-cau-treo-sig-2026', jws: 'eyJhbGciOiJFZERTQSJ9.e30.c2lnbmF0dXJl' },
};
