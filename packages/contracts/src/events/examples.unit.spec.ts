import { describe, expect, it } from 'vitest';
import { eventRegistry } from '../catalog.ts';
import { personalDataAccessEvents } from '../personal-data-access.ts';
import { personErasureEvents } from '../person-erasure.ts';
import { referralEvents } from '../referral.ts';
import { examplePayloads } from '../testing/example-payloads.ts';

// The lifecycles every agency shares (referrals, personal-data access, erasure) are tested with their own modules.
const sharedTypes = new Set([...referralEvents, ...personalDataAccessEvents, ...personErasureEvents].map((definition) => definition.type));
const agencyTypes = eventRegistry.all().filter((definition) => !sharedTypes.has(definition.type)).map((definition) => definition.type);

describe('agency events in the registry', () => {
  it('registers every event the five agencies and the liaison service record', () => {
    expect(agencyTypes.sort()).toEqual(
      [
        'intake.TipReceived', 'intake.TipClassified', 'intake.TipClosed',
        'identification.VerificationStepRecorded', 'identification.VictimIdentified', 'identification.VictimNotIdentified',
        'rescue.RescueRequested', 'rescue.RescueOperationPlanned', 'rescue.RescueOperationExecuted', 'rescue.PersonsRecovered',
        'rescue.ReturnFromAbroadReceived', 'rescue.HandoverPlanned', 'rescue.HandoverScheduled', 'rescue.HandoverCompleted',
        'protection.ProtectionCaseOpened', 'protection.ConsentRecorded', 'protection.ConsentWithdrawn', 'protection.ShelterAdmitted',
        'protection.ShelterDischarged', 'protection.SafetyMeasureTaken', 'protection.InitialSupportGiven',
        'reintegration.ReintegrationPlanAgreed', 'reintegration.ReintegrationSupportDelivered', 'reintegration.FollowUpVisitMade', 'reintegration.ReintegrationCaseClosed',
        'liaison.DeskRegistered', 'liaison.DeskProfileChanged', 'liaison.DeskKeysRotated', 'liaison.HandoverPacketIssued', 'liaison.HandoverAcknowledged',
        'liaison.HandoverAcknowledgementOverdue', 'liaison.TreeHeadCosigned',
      ].sort(),
    );
  });

  it('has a valid example payload for each, and no example for a type it does not know', () => {
    expect(Object.keys(examplePayloads).sort()).toEqual([...agencyTypes].sort());
    for (const type of agencyTypes) {
      expect(eventRegistry.check(type, 1, examplePayloads[type]), type).toMatchObject({ ok: true, version: 1 });
    }
  });

  it('describes every event in words and refuses an unknown field in every payload', () => {
    for (const type of agencyTypes) {
      expect(eventRegistry.get(type)?.description.length, type).toBeGreaterThan(20);
      expect(eventRegistry.check(type, 1, { ...examplePayloads[type], agency: 'intake' }), type).toMatchObject({ ok: false, rule: 'invalid-payload' });
    }
  });
});

describe('personal-data access events', () => {
  const access = { personId: '01KAZ0000000000000000000P1', fields: [{ eventId: '01KAZ0000000000000000000E1', path: 'person.fullName' }], purpose: 'Confirm identity before the handover' };

  it('are registered for each of the five agencies', () => {
    expect(personalDataAccessEvents.map((definition) => definition.type).sort()).toEqual(
      ['identification', 'intake', 'protection', 'reintegration', 'rescue'].map((agency) => `${agency}.PersonalDataAccessed`),
    );
  });

  it('name what was read and why, and refuse a read without a purpose or without fields', () => {
    expect(eventRegistry.check('protection.PersonalDataAccessed', 1, access)).toMatchObject({ ok: true });
    expect(eventRegistry.check('protection.PersonalDataAccessed', 1, { ...access, purpose: '  ' })).toMatchObject({ ok: false });
    expect(eventRegistry.check('protection.PersonalDataAccessed', 1, { ...access, fields: [] })).toMatchObject({ ok: false });
    expect(eventRegistry.check('protection.PersonalDataAccessed', 1, { ...access, value: 'Phạm Thị Lan' })).toMatchObject({ ok: false });
  });
});
