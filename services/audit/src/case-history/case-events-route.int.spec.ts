import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmbeddedBus } from '@nrm/bus';
import { eventRegistry, newId } from '@nrm/contracts';
import { eventually, startAgencyTestApp } from '@nrm/agency-kit/testing';
import type { AgencyTestApp } from '@nrm/agency-kit/testing';
import { createSqliteEventStore } from '@nrm/eventstore';
import { testEvent } from '@nrm/eventstore/testing';
import { intakeService } from '@nrm/intake';
import { createSqliteProjectionStore } from '@nrm/projections';
import { buildApp, mountService } from '@nrm/service-kit';
import type { ServiceWorker } from '@nrm/service-kit';
import { createTestAuth } from '@nrm/service-kit/testing';
import { createSqliteKeyStore, createVault } from '@nrm/vault';
import { auditService } from '../index.ts';
let backbone: AgencyTestApp;
beforeAll(async () => {
  backbone = await startAgencyTestApp([intakeService, auditService]);
});
afterAll(async () => backbone?.close());

describe('GET /v1/audit/cases/{caseId}/events', () => {
  it('returns the case’s events from the archive in order to an auditor, and refuses others', async () => {
    const received = await backbone.call('intake', 'POST', '/v1/intake/tips', { channel: 'police', province: 'Tây Ninh', allegedPlace: { country: 'KH' }, statement: 'A worker was lured to a casino in Bavet.' });
    const caseId = received.body.caseId as string;
    await backbone.call('intake', 'POST', `/v1/intake/cases/${caseId}/classification`, { tipId: caseId, classification: 'forced-labour', riskLevel: 'high' });
    const auditor = await backbone.token('audit', ['auditor']);
    // The archive fills from the bus, asynchronously.
    const response = await eventually(async () => {
      const answer = await backbone.app.inject({ method: 'GET', url: `/v1/audit/cases/${caseId}/events`, headers: { authorization: `Bearer ${auditor}` } });
      expect(answer.statusCode).toBe(200);
      expect(answer.json().events.map((event: { type: string }) => event.type)).toEqual(['intake.TipReceived', 'intake.TipClassified']);
      return answer;
    });
    const [tip, classification] = response.json().events as { sequence: number }[];
    expect(classification!.sequence).toBeGreaterThan(tip!.sequence);
    expect(JSON.stringify(response.json())).not.toContain('Bavet');
    const clerk = await backbone.app.inject({ method: 'GET', url: `/v1/audit/cases/${caseId}/events`, headers: { authorization: `Bearer ${await backbone.token('intake', ['clerk'])}` } });
    expect(clerk.statusCode).toBe(403);
    const missing = await backbone.app.inject({ method: 'GET', url: `/v1/audit/cases/${newId()}/events`, headers: { authorization: `Bearer ${auditor}` } });
    expect(missing.statusCode).toBe(404);
  });
});

describe('GET /v1/audit/cases/{caseId}/events, audit in a process of its own', () => {
  it("answers from the archive filled over the bus, though the audit process's own store holds none of the case", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nrm-audit-alone-'));
    // The agencies' log (reached over Kafka in distributed mode), and the audit process's own store and storage.
    const agencies = createSqliteEventStore({ path: join(dir, 'agencies.db'), durability: 'normal', pollIntervalMs: 20 });
    const own = createSqliteEventStore({ path: join(dir, 'audit.db'), durability: 'normal' });
    const keyStore = createSqliteKeyStore({ database: own.database });
    const projections = createSqliteProjectionStore({ database: own.database });
    const auth = await createTestAuth();
    const app = await buildApp({ serviceName: 'audit-alone', auth: auth.auth, logger: { level: 'silent' } });
    const dependencies = {
      store: own,
      bus: createEmbeddedBus(agencies),
      projections,
      vault: createVault({ keyStore, masterKey: randomBytes(32), masterKeyId: 'test-kek' }),
      registry: eventRegistry,
      storage: { kind: 'sqlite', database: own.database } as const,
      verifyToken: auth.verifier,
    };
    await mountService(app, auditService, dependencies);
    const workers: ServiceWorker[] = (await auditService.start?.(dependencies)) ?? [];
    try {
      const caseId = newId();
      const appended = await agencies.append('intake-alone', [testEvent({ caseId }), testEvent({ caseId, type: 'intake.TipClassified' })]);
      const auditor = await auth.token({ agency: 'audit', roles: ['auditor'] });
      const events = await eventually(async () => {
        const answer = await app.inject({ method: 'GET', url: `/v1/audit/cases/${caseId}/events`, headers: { authorization: `Bearer ${auditor}` } });
        expect(answer.statusCode).toBe(200);
        expect(answer.json().events).toHaveLength(2);
        return answer.json().events as { sequence: number; id: string; hash: string }[];
      });
      expect(events.map(({ sequence, id, hash }) => ({ sequence, id, hash }))).toEqual(appended.events.map(({ id, hash }, sequence) => ({ sequence, id, hash })));
      expect(await own.headPosition()).toBe(-1);
    } finally {
      for (const worker of workers.reverse()) await worker.stop();
      await app.close();
      await projections.close();
      await keyStore.close();
      await own.close();
      await agencies.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
