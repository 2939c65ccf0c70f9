// A real backbone for a service's integration tests: SQLite store in a temp dir, the vault, the
// embedded bus, the Fastify app with the given services mounted and their workers running,
// and tokens for any agency. Nothing is mocked; `close()` removes it all.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEmbeddedBus } from '@nrm/bus';
import type { Bus } from '@nrm/bus';
import { eventRegistry } from '@nrm/contracts';
import type { Agency } from '@nrm/contracts';
import { createSqliteEventStore } from '@nrm/eventstore';
import type { EventStore } from '@nrm/eventstore';
import { buildApp, mountService } from '@nrm/service-kit';
import type { BackboneService, NrmApp, ServiceDependencies, ServiceWorker } from '@nrm/service-kit';
import { createTestAuth } from '@nrm/service-kit/testing';
import { createSqliteKeyStore, createVault } from '@nrm/vault';
import { createSqliteProjectionStore } from '@nrm/projections';
import type { ProjectionStore } from '@nrm/projections';
import type { Vault } from '@nrm/vault';

export type AgencyTestApp = {
  app: NrmApp;
  store: EventStore;
  bus: Bus;
  projections: ProjectionStore;
  vault: Vault;
  token(agency: Agency, roles?: string[]): Promise<string>;
  /** A token with any claims, e.g. a foreign desk's (role desk, its country, its desk id as subject). */
  tokenFor(claims: { subject: string; roles: string[]; agency?: Agency; country?: string }): Promise<string>;
  /** Sends a request with a token of `agency` (clerk unless roles are given). */
  // The body is whatever JSON the route answered; tests read its fields directly.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  call(agency: Agency, method: 'GET' | 'POST', url: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any; headers: Record<string, unknown> }>;
  close(): Promise<void>;
};

export async function startAgencyTestApp(services: readonly BackboneService[]): Promise<AgencyTestApp> {
  const dir = mkdtempSync(join(tmpdir(), 'nrm-agency-test-'));
  const store = createSqliteEventStore({ path: join(dir, 'events.db'), durability: 'normal', pollIntervalMs: 50 });
  const keyStore = createSqliteKeyStore({ database: store.database });
  const vault = createVault({ keyStore, masterKey: randomBytes(32), masterKeyId: 'test-kek' });
  const bus = createEmbeddedBus(store, { checkpointEvery: 10 });
  const projections = createSqliteProjectionStore({ database: store.database });
  const auth = await createTestAuth();
  const app = await buildApp({ serviceName: 'agency-test', auth: auth.auth, logger: { level: 'silent' } });
  const dependencies: ServiceDependencies = { store, bus, projections, vault, registry: eventRegistry, storage: { kind: 'sqlite', database: store.database }, verifyToken: auth.verifier };
  for (const service of services) await mountService(app, service, dependencies);
  await app.ready();
  const workers: ServiceWorker[] = [];
  for (const service of services) workers.push(...((await service.start?.(dependencies)) ?? []));
  const token = (agency: Agency, roles: string[] = ['clerk']) => auth.token({ agency, roles, subject: `${agency}-officer` });
  return {
    app,
    store,
    bus,
    projections,
    vault,
    token,
    tokenFor: (claims) => auth.token(claims),
    async call(agency, method, url, body, headers = {}) {
      const response = await app.inject({ method, url, headers: { authorization: `Bearer ${await token(agency)}`, ...headers }, ...(body === undefined ? {} : { payload: body as object }) });
      return { status: response.statusCode, body: response.body ? JSON.parse(response.body) : undefined, headers: response.headers };
    },
    async close() {
      for (const worker of workers.reverse()) await worker.stop();
      await bus.close();
      await app.close();
      await projections.close();
      await keyStore.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Polls until `check` passes (e.g. a reaction landed), failing with its last error after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}
