import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '@nrm/contracts';
import { startAgencyTestApp } from '@nrm/agency-kit/testing';
import type { AgencyTestApp } from '@nrm/agency-kit/testing';
import { intakeService } from '@nrm/intake';
import { auditService } from '../index.ts';

let backbone: AgencyTestApp;
beforeAll(async () => {
  backbone = await startAgencyTestApp([intakeService, auditService]);
});
afterAll(async () => backbone?.close());

describe('GET /v1/audit/cases/{caseId}/events', () => {
  it('returns the case’s events in log order to an auditor, and refuses others', async () => {
    const received = await backbone.call('intake', 'POST', '/v1/intake/tips', { channel: 'police', province: 'Tây Ninh', allegedPlace: { country: 'KH' }, statement: 'A worker was lured to a casino in Bavet.' });
    const caseId = received.body.caseId as string;
    await backbone.call('intake', 'POST', `/v1/intake/cases/${caseId}/classification`, { tipId: caseId, classification: 'forced-labour', riskLevel: 'high' });
    const auditor = await backbone.token('audit', ['auditor']);
    const response = await backbone.app.inject({ method: 'GET', url: `/v1/audit/cases/${caseId}/events`, headers: { authorization: `Bearer ${auditor}` } });
    expect(response.statusCode).toBe(200);
    expect(response.json().events.map((event: { type: string }) => event.type)).toEqual(['intake.TipReceived', 'intake.TipClassified']);
    expect(JSON.stringify(response.json())).not.toContain('Bavet');
    const clerk = await backbone.app.inject({ method: 'GET', url: `/v1/audit/cases/${caseId}/events`, headers: { authorization: `Bearer ${await backbone.token('intake', ['clerk'])}` } });
    expect(clerk.statusCode).toBe(403);
    const missing = await backbone.app.inject({ method: 'GET', url: `/v1/audit/cases/${newId()}/events`, headers: { authorization: `Bearer ${auditor}` } });
    expect(missing.statusCode).toBe(404);
  });
});
