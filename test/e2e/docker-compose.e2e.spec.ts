// Keeps infra/docker-compose.yml honest on machines without Docker: every service of the backbone
// has a container whose command the real `nrm start` configuration accepts, on a store URL the
// real parser accepts and a host the compose file defines; dependencies exist and can be waited
// for; healthchecks ask each service's own readiness route; every service traces to the
// collector, whose config file wires what the compose file expects of it; the image is built
// from files that exist and runs the real command.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { SERVICES, STANDALONE_PORTS, resolveStartConfig } from '@nrm/cli';
import type { StartConfig } from '@nrm/cli';
import type { Agency } from '@nrm/contracts';
import { parseStoreUrl } from '@nrm/eventstore';
import type { StoreLocation } from '@nrm/eventstore';
import { runNrm } from './nrm-process.ts';

const INFRA = join(import.meta.dirname, '..', '..', 'infra');
const COMPOSE_FILE = join(INFRA, 'docker-compose.yml');

type Scalar = string | number | boolean | null;
type Container = {
  image?: string;
  build?: string | { context?: string; dockerfile?: string };
  command?: string | string[];
  environment?: Record<string, Scalar> | string[];
  volumes?: (string | { type?: string; source?: string; target: string })[];
  ports?: (string | { target: number; published?: string | number })[];
  healthcheck?: { test: string | string[] };
  depends_on?: string[] | Record<string, { condition?: string }>;
  restart?: string;
};
type Compose = { services: Record<string, Container>; volumes?: Record<string, unknown> };

type StartFlags = NonNullable<Parameters<typeof resolveStartConfig>[1]>;
// Every flag of `nrm start` that takes a value, checked against StartFlags by the compiler and
// against the real `nrm start --help` below.
const START_OPTIONS = {
  host: { type: 'string' },
  port: { type: 'string', short: 'p' },
  'data-dir': { type: 'string' },
  store: { type: 'string' },
  bus: { type: 'string' },
  'log-level': { type: 'string' },
  jwks: { type: 'string' },
  issuer: { type: 'string' },
  audience: { type: 'string' },
} as const satisfies Record<keyof StartFlags, { type: 'string'; short?: string }>;

const compose = parse(readFileSync(COMPOSE_FILE, 'utf8'), { merge: true }) as Compose;
const containers = Object.entries(compose.services);

function commandOf(container: Container): string[] {
  if (container.command === undefined) return [];
  return typeof container.command === 'string' ? container.command.trim().split(/\s+/) : container.command.map(String);
}

function environmentOf(container: Container): Record<string, string> {
  const environment = container.environment ?? {};
  if (Array.isArray(environment)) return Object.fromEntries(environment.map((entry) => [entry.split('=')[0]!, entry.slice(entry.indexOf('=') + 1)]));
  return Object.fromEntries(Object.entries(environment).map(([name, value]) => [name, value === null ? '' : String(value)]));
}

function dependenciesOf(container: Container): Record<string, string> {
  const dependsOn = container.depends_on ?? [];
  if (Array.isArray(dependsOn)) return Object.fromEntries(dependsOn.map((name) => [name, 'service_started']));
  return Object.fromEntries(Object.entries(dependsOn).map(([name, options]) => [name, options.condition ?? 'service_started']));
}

function mountsOf(container: Container): { source: string; target: string }[] {
  return (container.volumes ?? []).map((volume) => {
    if (typeof volume !== 'string') return { source: volume.source ?? '', target: volume.target };
    const [source, target] = volume.split(':');
    return { source: source!, target: target ?? source! };
  });
}

function containerPortsOf(container: Container): number[] {
  return (container.ports ?? []).map((port) => (typeof port === 'string' ? Number(port.split(':').at(-1)!.split('/')[0]) : port.target));
}

function healthcheckText(container: Container): string {
  const test = container.healthcheck?.test ?? [];
  return typeof test === 'string' ? test : test.join(' ');
}

type StartContainer = { name: string; service: Agency; container: Container; config: StartConfig; store: StoreLocation };

/** The containers that run `nrm start <service>`, read with the real option parsing; a command it refuses is reported, not thrown. */
function startContainers(): { started: StartContainer[]; refused: string[] } {
  const started: StartContainer[] = [];
  const refused: string[] = [];
  for (const [name, container] of containers) {
    if (commandOf(container)[0] !== 'start') continue;
    try {
      const { values, positionals } = parseArgs({ args: commandOf(container).slice(1), options: START_OPTIONS, allowPositionals: true, strict: true });
      const service = SERVICES.find((one) => positionals.length === 1 && one.name === positionals[0])?.name;
      if (!service) throw new Error(`nrm start takes one service of packages/cli/src/services.ts, got ${positionals.join(' ') || 'none'}`);
      const config = resolveStartConfig(service, values as StartFlags, environmentOf(container));
      started.push({ name, service, container, config, store: parseStoreUrl(config.store, { postgresSchema: service }) });
    } catch (error) {
      refused.push(`${name}: ${(error as Error).message}`);
    }
  }
  return { started, refused };
}

/** Host and port of `host:port`, a URL, or a Kafka listener such as `PLAINTEXT_HOST://127.0.0.1:29092`. */
function hostAndPort(address: string): { host: string; port: number } {
  const match = /^(?:\w+:\/\/)?([^:/]*):(\d+)/.exec(address);
  if (!match) throw new Error(`${address} names no host:port`);
  return { host: match[1]!, port: Number(match[2]) };
}

describe('infra/docker-compose.yml', () => {
  let started: StartContainer[];
  let refused: string[];
  let startHelp: string;
  let tokenDataDir: string;

  beforeAll(async () => {
    ({ started, refused } = startContainers());
    const help = await runNrm(['start', '--help']);
    expect(help.code).toBe(0);
    startHelp = help.stdout;
    tokenDataDir = mkdtempSync(join(tmpdir(), 'nrm-e2e-compose-'));
  });

  afterAll(() => {
    if (tokenDataDir) rmSync(tokenDataDir, { recursive: true, force: true });
  });

  it('starts each container with a command that `nrm start` accepts, on a store URL it accepts', () => {
    expect(refused).toEqual([]);
  });

  it('runs every service of the backbone in its own container, named after it, on its standalone port', () => {
    expect(started.map(({ service }) => service).sort()).toEqual(SERVICES.map((service) => service.name).sort());
    for (const { name, service, config, container } of started) {
      expect(name).toBe(service);
      expect(config.port, name).toBe(STANDALONE_PORTS[service]);
      expect(config.host, `${name} must listen beyond the container's loopback`).toBe('0.0.0.0');
      expect(containerPortsOf(container), `${name} publishes its port`).toContain(config.port);
    }
  });

  it('uses only flags that `nrm start --help` offers', () => {
    for (const flag of Object.keys(START_OPTIONS)) expect(startHelp, `--${flag}`).toContain(`--${flag}`);
    for (const { name, container } of started) {
      for (const flag of commandOf(container).filter((word) => word.startsWith('--'))) expect(startHelp, `${name}: ${flag}`).toContain(flag);
    }
  });

  it('connects every service to the Kafka broker through a listener advertised to the other containers', () => {
    for (const { name, config, container } of started) {
      expect(config.kafkaBrokers, `${name} runs distributed`).not.toBeNull();
      for (const broker of config.kafkaBrokers!) {
        const { host, port } = hostAndPort(broker);
        const kafka = compose.services[host];
        expect(kafka, `${name}: broker ${host} is a service of the compose file`).toBeDefined();
        const advertised = environmentOf(kafka!).KAFKA_ADVERTISED_LISTENERS?.split(',').map((listener) => hostAndPort(listener)) ?? [];
        expect(advertised, `${host} advertises ${broker}`).toContainEqual({ host, port });
        expect(dependenciesOf(container)[host], `${name} waits for ${host}`).toBe('service_healthy');
      }
    }
  });

  it('puts services on PostgreSQL and on KurrentDB (the others on SQLite), each store URL on a server the compose file runs', () => {
    expect(started.map(({ store }) => store.kind), 'at least one service on PostgreSQL and one on KurrentDB').toEqual(expect.arrayContaining(['postgres', 'eventstoredb']));
    const schemas: string[] = [];
    const files: string[] = [];
    for (const { name, service, config, container, store } of started) {
      const dependencies = dependenciesOf(container);
      if (store.kind === 'sqlite') {
        expect(posix.isAbsolute(store.path), `${name}: ${store.path}`).toBe(true);
        expect(posix.dirname(store.path), `${name}: its SQLite file is in the data directory`).toBe(config.dataDir);
        files.push(store.path);
        continue;
      }
      const url = new URL(store.connectionString);
      const server = compose.services[url.hostname];
      expect(server, `${name}: store host ${url.hostname} is a service of the compose file`).toBeDefined();
      expect(dependencies[url.hostname], `${name} waits for ${url.hostname}`).toBe('service_healthy');
      if (store.kind === 'postgres') {
        const environment = environmentOf(server!);
        expect(server!.image, url.hostname).toMatch(/^postgres:17/);
        expect(decodeURIComponent(url.username)).toBe(environment.POSTGRES_USER);
        expect(decodeURIComponent(url.password)).toBe(environment.POSTGRES_PASSWORD);
        expect(url.pathname.slice(1)).toBe(environment.POSTGRES_DB);
        expect(store.schema, `${name} owns a schema named after it`).toBe(service);
        schemas.push(store.schema);
      } else {
        expect(server!.image, url.hostname).toMatch(/kurrentdb|eventstore/);
        expect(url.searchParams.get('tls'), `${name}: the dev server runs insecure`).toBe('false');
        const environment = environmentOf(server!);
        expect(environment.KURRENTDB_INSECURE ?? environment.EVENTSTORE_INSECURE).toBe('true');
        expect(containerPortsOf(server!)).toContain(Number(url.port || 2113));
      }
    }
    expect(new Set(schemas).size, 'one PostgreSQL schema per service').toBe(schemas.length);
    expect(new Set(files).size, 'one SQLite file per service').toBe(files.length);
  });

  it('shares one data volume between every nrm container, so one dev signing key and vault master key serve them all', () => {
    const keys = containers.filter(([, container]) => commandOf(container)[0] === 'token');
    expect(keys, 'one container creates the dev signing key before the services start').toHaveLength(1);
    const [keysName, keysContainer] = keys[0]!;
    const dataDir = environmentOf(keysContainer).NRM_DATA_DIR;
    const volume = mountsOf(keysContainer).find((mount) => mount.target === dataDir)?.source;
    expect(volume, `${keysName} mounts its data directory`).toBeDefined();
    expect(compose.volumes, `${volume} is a named volume`).toHaveProperty([volume!]);
    for (const { name, config, container } of started) {
      expect(config.dataDir, name).toBe(dataDir);
      expect(mountsOf(container), name).toContainEqual({ source: volume, target: dataDir });
      expect(dependenciesOf(container)[keysName], `${name} waits for the dev key`).toBe('service_completed_successfully');
    }
  });

  it("creates the dev key with a command the real `nrm token` accepts", async () => {
    const [, keysContainer] = containers.find(([, container]) => commandOf(container)[0] === 'token')!;
    const result = await runNrm(commandOf(keysContainer), { env: { NRM_DATA_DIR: tokenDataDir } });
    expect(result.code, result.stderr).toBe(0);
    expect(existsSync(join(tokenDataDir, 'dev-signing-key.jwk.json'))).toBe(true);
  });

  it("checks each service's health on its own readiness route and port", () => {
    for (const { name, service, config, container } of started) {
      expect(healthcheckText(container), name).toContain(`http://127.0.0.1:${config.port}/v1/${service}/ready`);
    }
  });

  it('names only defined services in depends_on, with conditions Compose knows and healthchecks to wait for', () => {
    const conditions = ['service_started', 'service_healthy', 'service_completed_successfully'];
    for (const [name, container] of containers) {
      for (const [dependency, condition] of Object.entries(dependenciesOf(container))) {
        expect(compose.services, `${name} depends on ${dependency}`).toHaveProperty([dependency]);
        expect(conditions, `${name} → ${dependency}`).toContain(condition);
        if (condition === 'service_healthy') expect(compose.services[dependency]!.healthcheck, `${dependency} has a healthcheck`).toBeDefined();
        if (condition === 'service_completed_successfully') expect(compose.services[dependency]!.restart, `${dependency} runs once`).toBe('no');
      }
    }
  });

  it('sends every service\'s traces to the collector, which receives OTLP where the services send it and exports to Jaeger', () => {
    const endpoints = new Set(started.map(({ name, container }) => {
      const endpoint = environmentOf(container).OTEL_EXPORTER_OTLP_ENDPOINT;
      expect(endpoint, `${name} sets OTEL_EXPORTER_OTLP_ENDPOINT`).toBeTruthy();
      return `${endpoint} ${environmentOf(container).OTEL_EXPORTER_OTLP_PROTOCOL ?? 'http/protobuf'}`;
    }));
    for (const entry of endpoints) {
      const [endpoint, protocol] = entry.split(' ') as [string, string];
      const { host, port } = hostAndPort(endpoint);
      const collector = compose.services[host];
      expect(collector, `the collector ${host} is a service of the compose file`).toBeDefined();
      expect(collector!.image).toMatch(/^otel\/opentelemetry-collector/);

      const configPath = commandOf(collector!).find((word) => word.startsWith('--config='))?.slice('--config='.length);
      const mount = mountsOf(collector!).find((one) => one.target === configPath);
      expect(mount, `${host} mounts the config file it is started with`).toBeDefined();
      const configFile = resolve(INFRA, mount!.source);
      expect(existsSync(configFile), configFile).toBe(true);
      const config = parse(readFileSync(configFile, 'utf8')) as {
        receivers: Record<string, { protocols?: Record<string, { endpoint?: string }> }>;
        processors?: Record<string, unknown>;
        exporters: Record<string, { endpoint?: string }>;
        extensions?: Record<string, unknown>;
        service: { extensions?: string[]; pipelines: Record<string, { receivers: string[]; processors?: string[]; exporters: string[] }> };
      };

      const traces = config.service.pipelines.traces;
      expect(traces, 'a traces pipeline').toBeDefined();
      for (const [pipelineName, pipeline] of Object.entries(config.service.pipelines)) {
        for (const receiver of pipeline.receivers) expect(config.receivers, `${pipelineName}: ${receiver}`).toHaveProperty([receiver]);
        for (const processor of pipeline.processors ?? []) expect(config.processors, `${pipelineName}: ${processor}`).toHaveProperty([processor]);
        for (const exporter of pipeline.exporters) expect(config.exporters, `${pipelineName}: ${exporter}`).toHaveProperty([exporter]);
      }
      for (const extension of config.service.extensions ?? []) expect(config.extensions, extension).toHaveProperty([extension]);

      const otlpProtocol = protocol === 'grpc' ? 'grpc' : 'http';
      const listening = traces!.receivers
        .map((receiver) => config.receivers[receiver]?.protocols?.[otlpProtocol]?.endpoint)
        .filter((address): address is string => address !== undefined)
        .map((address) => hostAndPort(address));
      expect(listening, `the traces pipeline receives OTLP ${otlpProtocol} on ${port} from other containers`).toContainEqual({ host: '0.0.0.0', port });

      for (const exporter of traces!.exporters) {
        const target = hostAndPort(config.exporters[exporter]!.endpoint!);
        const jaeger = compose.services[target.host];
        expect(jaeger, `${exporter} sends to ${target.host}, a service of the compose file`).toBeDefined();
        expect(jaeger!.image).toMatch(/^jaegertracing\//);
        expect(containerPortsOf(jaeger!), 'the Jaeger UI is published').toContain(16686);
        expect(dependenciesOf(collector!)).toHaveProperty([target.host]);
      }
    }
  });

  it('builds the services from infra/Dockerfile, which runs the real `nrm` command on Node 24', () => {
    const builds = containers.filter(([, container]) => container.build !== undefined);
    expect(builds.map(([name]) => name)).toEqual(expect.arrayContaining(started.map(({ name }) => name)));
    for (const [name, container] of builds) {
      const build = typeof container.build === 'string' ? { context: container.build } : container.build!;
      const context = resolve(INFRA, build.context ?? '.');
      const dockerfile = readFileSync(join(context, build.dockerfile ?? 'Dockerfile'), 'utf8');
      expect(dockerfile, name).toMatch(/^FROM node:24/m);
      const entrypoint = JSON.parse(/^ENTRYPOINT (.+)$/m.exec(dockerfile)![1]!) as string[];
      expect(entrypoint[0]).toBe('node');
      expect(existsSync(join(context, entrypoint[1]!)), `${entrypoint[1]} exists`).toBe(true);
      const ignored = readFileSync(join(context, '.dockerignore'), 'utf8').split('\n').map((line) => line.trim());
      expect(ignored).toEqual(expect.arrayContaining(['**/node_modules', 'data', 'infra/kafka/.cache', 'infra/kafka/.data']));
    }
  });
});
