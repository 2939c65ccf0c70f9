// Erasure on a real embedded backbone: only the agency's own administrator may erase; after it
// the person's sealed fields never open again (410), the erasure is in the log once, the log
// still verifies, and another key store that held keys of the person destroys them on its own
// and says so in the log.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventRegistry, erasureStream, newId } from '@nrm/contracts';
import type { NewEvent } from '@nrm/contracts';
import { createSqliteKeyStore, createVault } from '@nrm/vault';
import { erasureReactions } from './person-erasure.ts';
import { startAgencyTestApp } from './testing/agency-test-app.ts';
import type { AgencyTestApp } from './testing/agency-test-app.ts';
import { referralsOnlyService } from './testing/referrals-only-service.ts';

let backbone: AgencyTestApp;
beforeAll(async () => {
  backbone = await startAgencyTestApp([referralsOnlyService('rescue'), referralsOnlyService('protection')]);
});
afterAll(async () => backbone?.close());

async function as(agency: 'rescue' | 'protection', roles: string[], method: 'GET' | 'POST', url: string, body?: unknown) {
  const response = await backbone.app.inject({ method, url, headers: { authorization: `Bearer ${await backbone.token(agency, roles)}` }, ...(body === undefined ? {} : { payload: body as object }) });
  return { status: response.statusCode, body: response.body ? JSON.parse(response.body) : undefined };
}

async function recoveredPerson(): Promise<{ caseId: string; personId: string }> {
  const caseId = newId();
  const personId = newId();
  const person = { fullName: await backbone.vault.seal(personId, 'Nguyễn Thị Lan', { field: 'fullName' }) };
  const data = { rescueId: newId(), persons: [{ personId, person, sex: 'female', ageGroup: '18-24', child: false, nationality: 'VN' }] };
  expect(eventRegistry.check('rescue.PersonsRecovered', 1, data).ok).toBe(true);
  const event: NewEvent = { id: newId(), type: 'rescue.PersonsRecovered', schemaVersion: 1, occurredAt: new Date().toISOString(), agency: 'rescue', actor: 'rescue-officer', caseId, causationId: null, traceparent: null, data };
  await backbone.store.append(`rescue-case-${caseId}`, [event]);
  return { caseId, personId };
}

describe('erasing a person', () => {
  it('only the agency’s own administrator erases; afterwards nothing opens, the erasure is in the log once, and the log verifies', async () => {
    const { caseId, personId } = await recoveredPerson();
    const read = () => as('rescue', ['supervisor'], 'GET', `/v1/rescue/cases/${caseId}/persons/${personId}/personal-data?purpose=${encodeURIComponent('checking the erasure test')}`);
    expect((await read()).body.fields[0].value).toBe('Nguyễn Thị Lan');

    const erase = (agency: 'rescue' | 'protection', roles: string[], body: unknown = { reason: 'the person asked to be forgotten' }) => as(agency, roles, 'POST', `/v1/rescue/persons/${personId}/erasure`, body);
    expect((await erase('rescue', ['clerk', 'supervisor'])).status).toBe(403);
    expect((await erase('protection', ['agency-admin'])).status).toBe(403);
    expect((await erase('rescue', ['agency-admin'], { reason: 'x' })).status).toBe(400);
    expect((await erase('rescue', ['agency-admin'], { reason: 'the person asked', extra: true })).status).toBe(400);
    expect(await backbone.store.readStream(erasureStream('rescue', personId))).toEqual([]);

    const erased = await erase('rescue', ['agency-admin']);
    expect(erased.status).toBe(201);
    expect(erased.body).toMatchObject({ personId, keysDestroyed: 1, duplicate: false });
    const again = await erase('rescue', ['agency-admin']);
    expect(again.body).toMatchObject({ eventId: erased.body.eventId, keysDestroyed: 1, duplicate: true });

    expect(await read()).toMatchObject({ status: 410, body: { type: expect.stringContaining('person-erased') } });
    const recorded = await backbone.store.readStream(erasureStream('rescue', personId));
    expect(recorded.map((event) => [event.type, event.actor, event.data])).toEqual([['rescue.PersonErased', 'rescue-officer', { personId, reason: 'the person asked to be forgotten', keysDestroyed: 1, erasedAt: expect.any(String) }]]);
    expect(JSON.stringify(recorded)).not.toContain('Nguyễn');
    expect((await backbone.store.verifyAll()).ok).toBe(true);
  });

  it('another key store holding keys of the person destroys them when it learns of the erasure, and records its part once', async () => {
    const personId = newId();
    const keyStore = createSqliteKeyStore({ path: ':memory:' });
    const otherVault = createVault({ keyStore, masterKey: randomBytes(32), masterKeyId: 'other-kek' });
    const sealed = await otherVault.seal(personId, '+84 90 000 0000', { field: 'phone' });
    const reaction = erasureReactions('protection', { store: backbone.store, vault: otherVault, registry: eventRegistry });
    expect(reaction.filter?.types).toEqual(['intake.PersonErased', 'identification.PersonErased', 'rescue.PersonErased', 'reintegration.PersonErased']);
    const source = { id: newId(), type: 'rescue.PersonErased', agency: 'rescue', traceparent: null, data: { personId, reason: 'court order 12/2026', keysDestroyed: 1, erasedAt: new Date().toISOString() } };
    await reaction.handler(source as never);
    await reaction.handler(source as never);
    await expect(otherVault.open(sealed, { field: 'phone', reader: { actor: 't', agency: 'protection' }, purpose: 'after erasure', subject: personId })).rejects.toThrow();
    const recorded = await backbone.store.readStream(erasureStream('protection', personId));
    expect(recorded.map((event) => [event.type, event.causationId, (event.data as { keysDestroyed: number }).keysDestroyed])).toEqual([['protection.PersonErased', source.id, 1]]);
    await keyStore.close();
  });
});
