import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { eventRegistry } from '../catalog.ts';
import { PERSON_FIELDS, SealedPersonSchema } from '../events/person.ts';
import { exampleIds } from '../testing/example-payloads.ts';
import { fakeSealed } from '../testing/sealed-envelopes.ts';
import { IdentifyVictimCommandSchema, identificationCommands } from './identification.ts';
import { CloseTipCommandSchema, ReceiveTipCommandSchema, intakeCommands } from './intake.ts';
import { PersonDetailsSchema } from './person.ts';
import { protectionCommands } from './protection.ts';
import { ReferCommandSchema } from './referral.ts';
import { reintegrationCommands } from './reintegration.ts';
import { PlanHandoverCommandSchema, ReceiveReturnFromAbroadCommandSchema, RecordPersonsRecoveredCommandSchema, rescueCommands } from './rescue.ts';

const { tip, person, otherPerson, referral, rescue } = exampleIds;
const paths = (schema: z.ZodType, body: unknown) => schema.safeParse(body).error?.issues.map((issue) => issue.path.join('.')) ?? [];

const tipBody = {
  channel: 'citizen',
  province: 'Đắk Nông',
  allegedPlace: { country: 'VN', province: 'Đắk Lắk', locality: 'xã Ea Kly' },
  peopleCount: 2,
  minorCount: 2,
  statement: 'Hai em gái bị đưa đi làm việc ở quán karaoke, không được về nhà.',
  reporter: { fullName: 'Lê Văn C', phone: '+84 912 345 678' },
};

const victimBody = {
  personId: person,
  person: { fullName: 'Nguyễn Thị A', dateOfBirth: '2009-04-17', idNumber: '001309004567' },
  sex: 'female',
  ageGroup: '16-17',
  child: true,
  nationality: 'VN',
  formsOfExploitation: ['sexual-exploitation'],
  exploitationCountry: 'CN',
  province: 'Lào Cai',
};

/** What the service does with a body: seal the named plaintext fields for the subject, drop `occurredAt`. */
function sealed(body: Record<string, unknown>, subject: string, fields: string[]): Record<string, unknown> {
  const { occurredAt: _occurredAt, ...rest } = body;
  const sealFields = (record: Record<string, unknown>) => Object.fromEntries(Object.keys(record).map((key) => [key, fakeSealed(subject)]));
  for (const field of fields) {
    const value = rest[field];
    rest[field] = typeof value === 'object' && value !== null ? sealFields(value as Record<string, unknown>) : fakeSealed(subject);
  }
  return rest;
}

describe('command bodies', () => {
  const allCommands = { ...intakeCommands, ...identificationCommands, ...rescueCommands, ...protectionCommands, ...reintegrationCommands };

  it('never carry what the service derives: agency, actor, ids of events, recording times', () => {
    for (const [name, schema] of Object.entries(allCommands)) {
      for (const field of ['agency', 'actor', 'id', 'eventId', 'recordedAt', 'caseId', 'causationId']) {
        expect(schema.safeParse({ [field]: 'x' }).error?.issues.some((issue) => issue.code === 'unrecognized_keys'), `${name}.${field}`).toBe(true);
      }
    }
    expect(paths(ReferCommandSchema, { to: 'protection', kind: 'protection', priority: 'urgent', involvesChild: true, summary: 'needs a shelter tonight', acceptBy: '2025-08-02T00:00:00.000Z' })).toEqual(['']);
    expect(paths(ReferCommandSchema, { to: 'protection', kind: 'protection', priority: 'urgent', involvesChild: true, summary: 'needs a shelter tonight', occurredAt: '2025-08-01T10:00:00.000Z' })).toEqual([]);
  });

  it('give a person in plaintext under the names of the sealed person', () => {
    expect(Object.keys(PersonDetailsSchema.shape).sort()).toEqual([...PERSON_FIELDS].sort());
    expect(Object.keys(SealedPersonSchema.shape).sort()).toEqual([...PERSON_FIELDS].sort());
  });

  it('validate the plaintext person strictly', () => {
    expect(paths(PersonDetailsSchema, victimBody.person)).toEqual([]);
    expect(paths(PersonDetailsSchema, { fullName: '' })).toEqual(['fullName']);
    expect(paths(PersonDetailsSchema, { fullName: 'x'.repeat(201) })).toEqual(['fullName']);
    expect(paths(PersonDetailsSchema, { fullName: 'A', dateOfBirth: '17/04/2009' })).toEqual(['dateOfBirth']);
    expect(paths(PersonDetailsSchema, { fullName: 'A', dateOfBirth: '2009-02-30' })).toEqual(['dateOfBirth']);
    expect(paths(PersonDetailsSchema, { fullName: 'A', dateOfBirth: '1850-01-01' })).toEqual(['dateOfBirth']);
    expect(paths(PersonDetailsSchema, { fullName: 'A', idNumber: '00 13 09' })).toEqual(['idNumber']);
    expect(paths(PersonDetailsSchema, { fullName: 'A', phone: 'call me' })).toEqual(['phone']);
    expect(paths(PersonDetailsSchema, { fullName: 'A', nickname: 'B' })).toEqual(['']);
    expect(paths(PersonDetailsSchema, { fullName: fakeSealed(person) })).toEqual(['fullName']);
  });

  it('apply the same cross-field rules as the events they lead to', () => {
    expect(paths(ReceiveTipCommandSchema, tipBody)).toEqual([]);
    expect(paths(ReceiveTipCommandSchema, { ...tipBody, minorCount: 3 })).toEqual(['minorCount']);
    expect(paths(ReceiveTipCommandSchema, { ...tipBody, reporter: {} })).toEqual(['reporter']);
    expect(paths(ReceiveTipCommandSchema, { ...tipBody, allegedPlace: { country: 'CN', province: 'Lào Cai' } })).toEqual(['allegedPlace.province']);
    expect(paths(CloseTipCommandSchema, { tipId: tip, outcome: 'referred' })).toEqual(['referralId']);
    expect(paths(IdentifyVictimCommandSchema, { ...victimBody, ageGroup: '35-49' })).toEqual(['child']);
    expect(paths(PlanHandoverCommandSchema, { toCountry: 'KH', borderGate: 'Lao Bảo', date: '2025-09-10', persons: [{ personId: person, sex: 'male', ageGroup: '18-24', child: false, nationality: 'KH' }], needs: [] })).toEqual(['borderGate']);
  });

  it('let a list of persons name a known person once and leave new ones without an id', () => {
    const newPerson = { person: { fullName: 'Trần Văn B' }, sex: 'male', ageGroup: '25-34', child: false, nationality: 'VN' };
    expect(paths(RecordPersonsRecoveredCommandSchema, { rescueId: rescue, persons: [newPerson, newPerson, { ...newPerson, personId: person }] })).toEqual([]);
    expect(paths(RecordPersonsRecoveredCommandSchema, { rescueId: rescue, persons: [{ ...newPerson, personId: person }, { ...newPerson, personId: person }] })).toEqual(['persons.1']);
    expect(paths(ReceiveReturnFromAbroadCommandSchema, { fromCountry: 'KH', borderGate: 'Hữu Nghị', province: 'Lạng Sơn', persons: [newPerson] })).toEqual(['borderGate']);
  });

  it('become their event once the service seals the plaintext and adds the ids it allocates', () => {
    const received = sealed({ ...tipBody, tipId: tip }, tip, ['statement', 'reporter']);
    received.allegedPlace = { ...(received.allegedPlace as object), locality: fakeSealed(tip) };
    expect(eventRegistry.check('intake.TipReceived', 1, received)).toMatchObject({ ok: true });
    expect(eventRegistry.check('identification.VictimIdentified', 1, sealed(victimBody, person, ['person']))).toMatchObject({ ok: true });
    expect(eventRegistry.check('identification.VictimIdentified', 1, sealed(victimBody, otherPerson, ['person']))).toMatchObject({ ok: false });
    expect(eventRegistry.check('intake.TipClosed', 1, sealed({ tipId: tip, outcome: 'referred', referralId: referral, occurredAt: '2025-08-01T10:00:00.000Z' }, tip, []))).toMatchObject({ ok: true });
  });
});
