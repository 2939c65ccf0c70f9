// The backbone the access matrix and the hostile-input fuzzing run against: every service mounted
// in one Fastify app, as `nrm start` mounts them, with an onRoute hook that records each route as
// it is registered (so no route escapes the matrix), a signing key to mint any caller's token, its
// event store in reach (the fuzz checks that a refused request appended nothing), and no rate
// limit. The matrix listens on a free port on localhost (the desk's event stream needs a real
// connection the client can drop); the fuzz sends through app.inject, no port.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
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

export type MatrixBackbone = {
  app: NrmApp;
  store: EventStore;
  /** Where it listens; '' when started with `listen: false` (requests through app.inject). */
  url: string;
  /** Every route registered after the app was built (all the services' routes), HEAD mirrors left out. */
  registered: { method: string; path: string }[];
  token(claims: { subject: string; roles: string[]; agency?: Agency; country?: string }): Promise<string>;
  close(): Promise<void>;
};

export async function startMatrixBackbone(options: { label?: string; listen?: boolean } = {}): Promise<MatrixBackbone> {
  const label = options.label ?? 'access-matrix';
  const dir = mkdtempSync(join(tmpdir(), `nrm-${label}-`));
  const store = createSqliteEventStore({ path: join(dir, 'events.db'), durability: 'normal', pollIntervalMs: 50 });
  const keyStore = createSqliteKeyStore({ database: store.database });
  const vault = createVault({ keyStore, masterKey: randomBytes(32), masterKeyId: `${label}-kek` });
  const bus = createEmbeddedBus(store, { checkpointEvery: 10 });
  const projections = createSqliteProjectionStore({ database: store.database });
  const auth = await createTestAuth();
  // Who may call what is the question here, not how often: rate limits have their own test
  // (packages/service-kit/src/rate-limit.int.spec.ts) and would turn the fuzzing's thousands of calls into 429s.
  const app = await buildApp({ serviceName: label, auth: auth.auth, logger: { level: 'silent' }, rateLimit: { max: 0, windowMs: 60_000 } });
  const registered: { method: string; path: string }[] = [];
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) if (method !== 'HEAD') registered.push({ method, path: route.url });
  });
  const dependencies: ServiceDependencies = { store, bus, projections, vault, registry: eventRegistry, storage: { kind: 'sqlite', database: store.database }, verifyToken: auth.verifier };
  for (const service of SERVICES) await mountService(app, service, dependencies);
  if (options.listen === false) await app.ready();
  else await app.listen({ host: '127.0.0.1', port: 0 });
  const workers: ServiceWorker[] = [];
  for (const service of SERVICES) workers.push(...((await service.start?.(dependencies)) ?? []));
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    app,
    store,
    url: options.listen === false ? '' : `http://127.0.0.1:${port}`,
    registered,
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

/** A desk's public key set as the registry takes it: an Ed25519 signing key and an X25519 encryption key. */
export function deskPublicKeys(prefix: string): { keys: Record<string, string>[] } {
  const publicJwk = (type: 'ed25519' | 'x25519') => generateKeyPairSync(type as 'ed25519').publicKey.export({ format: 'jwk' }) as Record<string, string>;
  return {
    keys: [
      { ...publicJwk('ed25519'), kid: `${prefix}-sig`, use: 'sig', alg: 'EdDSA' },
      { ...publicJwk('x25519'), kid: `${prefix}-enc`, use: 'enc', alg: 'ECDH-ES+A256KW' },
    ],
  };
}
