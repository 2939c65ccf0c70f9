// The backbone the hostile-input fuzzing runs against: every service mounted in one Fastify app,
// as `nrm start` mounts them and as the access matrix's backbone does, but with its event store in
// reach (the fuzz checks that a refused request appended nothing) and without a rate limit (the
// fuzz sends thousands of requests per caller, which the limit would answer 429 before they reach
// validation). Requests go through app.inject: no port.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEmbeddedBus } from '@nrm/bus';
import { eventRegistry } from '@nrm/contracts';
import type { Agency } from '@nrm/contracts';
import { SERVICES } from '@nrm/cli';
import { createSqliteEventStore } from '@nrm/eventstore';
import type { EventStore } from '@nrm/eventstore';
import { createSqliteProjectionStore } from '@nrm/projections';
import { buildApp, mountService } from '@nrm/service-kit';
import type { NrmApp, ServiceDependencies, ServiceWorker } from '@nrm/service-kit';
import { createTestAuth } from '@nrm/service-kit/testing';
import { createSqliteKeyStore, createVault } from '@nrm/vault';

export type FuzzBackbone = {
  app: NrmApp;
  store: EventStore;
  token(claims: { subject: string; roles: string[]; agency?: Agency; country?: string }): Promise<string>;
  close(): Promise<void>;
};

export async function startFuzzBackbone(): Promise<FuzzBackbone> {
  const dir = mkdtempSync(join(tmpdir(), 'nrm-fuzz-'));
  const store = createSqliteEventStore({ path: join(dir, 'events.db'), durability: 'normal', pollIntervalMs: 50 });
  const keyStore = createSqliteKeyStore({ database: store.database });
  const vault = createVault({ keyStore, masterKey: randomBytes(32), masterKeyId: 'fuzz-kek' });
  const bus = createEmbeddedBus(store, { checkpointEvery: 10 });
  const projections = createSqliteProjectionStore({ database: store.database });
  const auth = await createTestAuth();
  const app = await buildApp({ serviceName: 'fuzz', auth: auth.auth, logger: { level: 'silent' }, rateLimit: { max: 0, windowMs: 60_000 } });
  const dependencies: ServiceDependencies = { store, bus, projections, vault, registry: eventRegistry, storage: { kind: 'sqlite', database: store.database }, verifyToken: auth.verifier };
  for (const service of SERVICES) await mountService(app, service, dependencies);
  await app.ready();
  const workers: ServiceWorker[] = [];
  for (const service of SERVICES) workers.push(...((await service.start?.(dependencies)) ?? []));
  return {
    app,
    store,
    token: (claims) => auth.token(claims),
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
