// What a backbone service is to the process that runs it: a name, and a Fastify plugin mounted
// under `/v1/<name>` with its own health and readiness routes. The embedded server mounts all
// seven in one process; `nrm start <service>` mounts one. Services never call each other.
import type { DatabaseSync } from 'node:sqlite';
import type { Agency, EventRegistry } from '@nrm/contracts';
import type { Bus } from '@nrm/bus';
import type { EventStore } from '@nrm/eventstore';
import type { Projection, ProjectionStore } from '@nrm/projections';
import type { Vault } from '@nrm/vault';
import type { NrmApp } from './app.ts';
import { eventStoreReadiness, healthRoutes } from './health.ts';
import { openApiRoutes } from './openapi-routes.ts';
import type { ServicePlugin } from './app.ts';
import type { TokenVerifier } from './token-verifier.ts';

/**
 * Where a service may keep tables of its own (the audit archive), beside its event store: the
 * same SQLite connection or PostgreSQL schema, so one backup holds both. The service opens what
 * it needs there and closes it; the connection itself belongs to the process.
 */
export type ServiceStorage = { kind: 'sqlite'; database: DatabaseSync } | { kind: 'postgres'; connectionString: string; schema: string };

/**
 * What every service is given: the store it owns its streams in, the bus, its read models, the
 * vault, the event registry, its own storage, and the process's token verifier (the one its
 * routes use), for callers that come by another way than HTTP (Kafka ingress).
 */
export type ServiceDependencies = {
  store: EventStore;
  bus: Bus;
  projections: ProjectionStore;
  vault: Vault;
  registry: EventRegistry;
  storage: ServiceStorage;
  verifyToken: TokenVerifier;
};

/** Background work a service runs beside its routes: reactions, projections, schedulers. */
export type ServiceWorker = { name: string; stop(): Promise<void> };

export type BackboneService = {
  name: Agency;
  /** One line for the start banner and the OpenAPI document. */
  description: string;
  routes: ServicePlugin<ServiceDependencies>;
  /** The service's read models: run live by `start`, rebuilt from the log by `nrm rebuild`. */
  projections?: readonly Projection[];
  /** Starts the service's background work; stopped in reverse order when the process closes. */
  start?(dependencies: ServiceDependencies): Promise<ServiceWorker[]>;
};

export function servicePrefix(name: Agency): string {
  return `/v1/${name}`;
}

export async function mountService(app: NrmApp, service: BackboneService, dependencies: ServiceDependencies): Promise<void> {
  await app.register(
    async (scoped) => {
      await scoped.register(healthRoutes, { checks: [eventStoreReadiness(dependencies.store)] });
      await scoped.register(openApiRoutes, { pathPrefix: servicePrefix(service.name), title: `NRM Backbone: ${service.name}`, description: service.description });
      await scoped.register(service.routes, dependencies);
    },
    { prefix: servicePrefix(service.name) },
  );
}
