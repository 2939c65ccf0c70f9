// Options for `nrm start` from flags, then NRM_* environment variables, then defaults, checked
// once here so a bad value is a clear message before anything starts.
import { z } from 'zod';
import { KafkaSecurityError, kafkaSecurityFromEnv } from '@nrm/bus';
import type { KafkaSecurity } from '@nrm/bus';
import { parseStoreUrl } from '@nrm/eventstore';
import type { Agency } from '@nrm/contracts';
import { CliError } from './cli-error.ts';
import { STANDALONE_PORTS } from './services.ts';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export type StartConfig = {
  /** null: every service in one process (embedded). */
  service: Agency | null;
  host: string;
  port: number;
  dataDir: string;
  store: string;
  logLevel: (typeof LOG_LEVELS)[number];
  /** Verify tokens against this JWKS (file path or https URL) instead of the local dev key. */
  jwks: string | null;
  issuer: string | null;
  audience: string | null;
  /** null: the embedded bus (the store's own log); otherwise Kafka brokers. */
  kafkaBrokers: string[] | null;
  /** Prefix of every topic and consumer group, so several backbones can share one cluster (`?namespace=` of --bus). */
  kafkaNamespace: string;
  /** TLS and SASL towards the brokers (NRM_KAFKA_TLS*, NRM_KAFKA_SASL_*). */
  kafkaSecurity: KafkaSecurity;
};

export type StartFlags = Partial<Record<'host' | 'port' | 'data-dir' | 'store' | 'log-level' | 'jwks' | 'issuer' | 'audience' | 'bus', string>>;

export type BusLocation = { brokers: string[]; namespace: string } | null;

/** `embedded`, or `kafka://host:port[,host:port…][?namespace=prefix.]`. */
export function parseBusUrl(text: string, source: string): BusLocation {
  if (text === 'embedded') return null;
  const match = /^kafka:\/\/([^?]+)(?:\?namespace=([A-Za-z0-9._-]{1,100}))?$/.exec(text);
  const brokers = match?.[1]?.split(',').map((broker) => broker.trim()) ?? [];
  if (!match || brokers.length === 0 || brokers.some((broker) => !/^[A-Za-z0-9.-]+:\d{1,5}$/.test(broker))) {
    throw new CliError(`${source}=${text}: use embedded or kafka://host:port[,host:port][?namespace=prefix.] (a namespace of letters, digits, . _ -)`);
  }
  return { brokers, namespace: match[2] ?? '' };
}

const PortSchema = z.coerce.number({ error: 'must be a number' }).int('must be a whole number').min(0, 'must be 0..65535').max(65535, 'must be 0..65535');

function pick(flags: StartFlags, env: NodeJS.ProcessEnv, flag: keyof StartFlags, variable: string): { value: string; source: string } | undefined {
  if (flags[flag] !== undefined) return { value: flags[flag]!, source: `--${flag}` };
  const fromEnv = env[variable];
  if (fromEnv !== undefined && fromEnv !== '') return { value: fromEnv, source: variable };
  return undefined;
}

export function resolveStartConfig(service: Agency | null, flags: StartFlags, env: NodeJS.ProcessEnv = process.env): StartConfig {
  const host = pick(flags, env, 'host', 'NRM_HOST')?.value ?? '127.0.0.1';
  const portOption = pick(flags, env, 'port', 'NRM_PORT');
  let port = service ? STANDALONE_PORTS[service] : 8080;
  if (portOption) {
    const parsed = PortSchema.safeParse(portOption.value);
    if (!parsed.success) throw new CliError(`${portOption.source}=${portOption.value}: ${parsed.error.issues[0]!.message}`);
    port = parsed.data;
  }
  const dataDir = pick(flags, env, 'data-dir', 'NRM_DATA_DIR')?.value ?? './data';
  const storeOption = pick(flags, env, 'store', 'NRM_STORE');
  const store = storeOption?.value ?? `sqlite:${dataDir}/${service ?? 'nrm'}.db`;
  try {
    parseStoreUrl(store, { postgresSchema: service ?? 'nrm' });
  } catch (error) {
    throw new CliError(`${storeOption?.source ?? 'store'}: ${(error as Error).message}`);
  }
  const levelOption = pick(flags, env, 'log-level', 'NRM_LOG_LEVEL');
  const logLevel = (levelOption?.value ?? 'info') as StartConfig['logLevel'];
  if (!LOG_LEVELS.includes(logLevel)) throw new CliError(`${levelOption!.source}=${levelOption!.value}: must be one of ${LOG_LEVELS.join(', ')}`);
  return {
    service,
    host,
    port,
    dataDir,
    store,
    logLevel,
    jwks: pick(flags, env, 'jwks', 'NRM_JWKS')?.value ?? null,
    issuer: pick(flags, env, 'issuer', 'NRM_TOKEN_ISSUER')?.value ?? null,
    audience: pick(flags, env, 'audience', 'NRM_TOKEN_AUDIENCE')?.value ?? null,
    ...(() => {
      const bus = pick(flags, env, 'bus', 'NRM_BUS');
      const location = bus ? parseBusUrl(bus.value, bus.source) : null;
      return { kafkaBrokers: location?.brokers ?? null, kafkaNamespace: location?.namespace ?? '', kafkaSecurity: location ? kafkaSecurityOf(env) : {} };
    })(),
  };
}

function kafkaSecurityOf(env: NodeJS.ProcessEnv): KafkaSecurity {
  try {
    return kafkaSecurityFromEnv(env);
  } catch (error) {
    if (error instanceof KafkaSecurityError) throw new CliError(error.message);
    throw error;
  }
}
