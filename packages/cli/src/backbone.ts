// Composes a running backbone from a StartConfig: the store, the vault, token verification,
// one Fastify app with the chosen services mounted, listening where the config says. The CLI's
// `start` and the end-to-end tests both use it, so what is tested is what runs.
import { eventRegistry } from '@nrm/contracts';
import { StoreUrlError, openEventStore } from '@nrm/eventstore';
import type { EventStore } from '@nrm/eventstore';
import { DEV_ISSUER, NRM_AUDIENCE, buildApp, createTokenVerifier, eventStoreReadiness, loadOrCreateDevKeys, mintToken, mountService, startTelemetry } from '@nrm/service-kit';
import type { AuthOptions, BackboneService, NrmApp, ServiceDependencies } from '@nrm/service-kit';
import { CliError } from './cli-error.ts';
import type { StartConfig } from './config.ts';
import { ensureWritableDataDir } from './data-dir.ts';
import { SERVICES, serviceNamed } from './services.ts';
import { openBus } from './bus-setup.ts';
import { openProjectionStore } from './projection-setup.ts';
import { openServiceStorage } from './storage-setup.ts';
import { openVault } from './vault-setup.ts';

export type RunningBackbone = {
  app: NrmApp;
  url: string;
  store: EventStore;
  services: readonly BackboneService[];
  /** A short-lived token for trying the API; only with the local development key. */
  adminToken: string | null;
  devMasterKey: boolean;
  close(): Promise<void>;
};

async function authFor(config: StartConfig, dataDir: string): Promise<{ auth: AuthOptions; mintAdmin: (() => Promise<string>) | null }> {
  if (config.jwks) {
    if (!config.issuer) throw new CliError('--jwks needs --issuer (or NRM_TOKEN_ISSUER): tokens are only accepted from a named issuer');
    const keys = /^https?:\/\//.test(config.jwks) ? { jwksUrl: config.jwks } : { jwksFile: config.jwks };
    return { auth: { keys, issuer: config.issuer, audience: config.audience ?? NRM_AUDIENCE }, mintAdmin: null };
  }
  const dev = await loadOrCreateDevKeys(dataDir);
  return {
    auth: { keys: { jwks: dev.jwks }, issuer: DEV_ISSUER, audience: NRM_AUDIENCE },
    mintAdmin: () => mintToken({ privateKey: dev.privateKey, kid: dev.kid, subject: 'nrm-admin', roles: ['standing-office-admin', 'auditor'], ttlSeconds: 1800 }),
  };
}

async function openStore(config: StartConfig): Promise<EventStore> {
  try {
    return await openEventStore(config.store, { postgresSchema: config.service ?? 'nrm' });
  } catch (error) {
    if (error instanceof StoreUrlError) throw new CliError(error.message);
    throw new CliError(`cannot open the event store ${config.store}: ${(error as Error).message}`, 1);
  }
}

export async function startBackbone(config: StartConfig): Promise<RunningBackbone> {
  const dataDir = ensureWritableDataDir(config.dataDir);
  const services = config.service ? [serviceNamed(config.service)!] : SERVICES;
  const serviceName = config.service ?? 'nrm-backbone';
  const { auth, mintAdmin } = await authFor(config, dataDir);
  const telemetry = await startTelemetry({ serviceName });
  const store = await openStore(config);
  const cleanups: (() => Promise<unknown>)[] = [() => store.close(), () => telemetry.shutdown()];
  const closeAll = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  };
  try {
    const { vault, keyStore, devMasterKey } = await openVault(config.store, store, dataDir, config.service ?? 'nrm');
    cleanups.push(() => keyStore.close());
    const projections = await openProjectionStore(config.store, store, dataDir, config.service ?? 'nrm');
    cleanups.push(() => projections.close());
    const { storage, close: closeStorage } = openServiceStorage(config.store, store, dataDir, config.service ?? 'nrm');
    cleanups.push(closeStorage);
    // One verifier for the routes and for Kafka ingress: the same keys, algorithms and cache.
    const verifyToken = 'verifier' in auth ? auth.verifier : await createTokenVerifier(auth);
    const app = await buildApp({
      serviceName,
      auth: { verifier: verifyToken },
      logger: { level: config.logLevel },
      readinessChecks: [eventStoreReadiness(store)],
      openapi: { title: `NRM Backbone: ${serviceName}`, description: 'Event-sourced interagency referral backbone' },
    });
    cleanups.push(() => app.close());
    const { bus, close: closeBus } = await openBus(store, config.kafkaBrokers, services.map((service) => service.name), `nrm-${serviceName}`, config.kafkaNamespace, config.kafkaSecurity);
    cleanups.push(closeBus);
    const dependencies: ServiceDependencies = { store, bus, projections, vault, registry: eventRegistry, storage, verifyToken };
    for (const service of services) await mountService(app, service, dependencies);
    for (const service of services) {
      for (const worker of (await service.start?.(dependencies)) ?? []) cleanups.push(() => worker.stop());
    }
    try {
      await app.listen({ host: config.host, port: config.port });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE') throw new CliError(`port ${config.port} on ${config.host} is in use: stop what holds it or choose another with --port or NRM_PORT`);
      if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') throw new CliError(`cannot listen on ${config.host}: no such local address (--host or NRM_HOST)`);
      if (code === 'EACCES') throw new CliError(`not allowed to listen on port ${config.port}: choose a port above 1023`);
      throw error;
    }
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    return {
      app,
      url: `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`,
      store,
      services,
      adminToken: mintAdmin ? await mintAdmin() : null,
      devMasterKey,
      close: closeAll,
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
