// How the backbone's Kafka client proves itself to the broker, from NRM_KAFKA_* variables: TLS
// (the CAs to trust, a client certificate) and SASL (PLAIN or SCRAM). A broker that requires them
// can then keep strangers off the topics with ACLs, a second gate beside the access tokens every
// ingress message carries. Everything is checked here, once, so a wrong setting is a clear
// message at start and never a connection that fails later without saying why.
import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import type { SASLOptions } from 'kafkajs';

export type KafkaSecurity = { ssl?: ConnectionOptions | true; sasl?: SASLOptions };

export class KafkaSecurityError extends Error {
  override readonly name = 'KafkaSecurityError';
}

const MECHANISMS = { plain: 'plain', 'scram-sha-256': 'scram-sha-256', 'scram-sha-512': 'scram-sha-512' } as const;

type Env = Record<string, string | undefined>;
type ReadFile = (path: string) => string;

function set(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function fileOf(env: Env, name: string, readFile: ReadFile): string | undefined {
  const path = set(env, name);
  if (path === undefined) return undefined;
  try {
    return readFile(path);
  } catch (error) {
    throw new KafkaSecurityError(`${name}=${path}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}

function tlsFrom(env: Env, readFile: ReadFile): ConnectionOptions | true | undefined {
  const flag = set(env, 'NRM_KAFKA_TLS');
  if (flag !== undefined && !['true', 'false'].includes(flag)) throw new KafkaSecurityError(`NRM_KAFKA_TLS=${flag}: use true or false`);
  const ca = fileOf(env, 'NRM_KAFKA_TLS_CA_FILE', readFile);
  const cert = fileOf(env, 'NRM_KAFKA_TLS_CERT_FILE', readFile);
  const key = fileOf(env, 'NRM_KAFKA_TLS_KEY_FILE', readFile);
  if ((cert === undefined) !== (key === undefined)) throw new KafkaSecurityError('a client certificate needs both NRM_KAFKA_TLS_CERT_FILE and NRM_KAFKA_TLS_KEY_FILE');
  const files = ca !== undefined || cert !== undefined;
  if (flag === 'false') {
    if (files) throw new KafkaSecurityError('NRM_KAFKA_TLS=false, yet TLS files are given: remove them or the flag');
    return undefined;
  }
  if (!files) return flag === 'true' ? true : undefined;
  // Certificates are always verified: there is no setting to turn that off.
  return { rejectUnauthorized: true, ...(ca ? { ca } : {}), ...(cert && key ? { cert, key } : {}) };
}

function saslFrom(env: Env, readFile: ReadFile): SASLOptions | undefined {
  const mechanism = set(env, 'NRM_KAFKA_SASL_MECHANISM')?.toLowerCase();
  const username = set(env, 'NRM_KAFKA_SASL_USERNAME');
  const inline = set(env, 'NRM_KAFKA_SASL_PASSWORD');
  const fromFile = fileOf(env, 'NRM_KAFKA_SASL_PASSWORD_FILE', readFile)?.replace(/\r?\n$/, '');
  if (mechanism === undefined) {
    if (username !== undefined || inline !== undefined || fromFile !== undefined) throw new KafkaSecurityError('SASL credentials are given without NRM_KAFKA_SASL_MECHANISM (plain, scram-sha-256 or scram-sha-512)');
    return undefined;
  }
  if (!(mechanism in MECHANISMS)) throw new KafkaSecurityError(`NRM_KAFKA_SASL_MECHANISM=${mechanism}: use plain, scram-sha-256 or scram-sha-512`);
  if (inline !== undefined && fromFile !== undefined) throw new KafkaSecurityError('give the SASL password once: NRM_KAFKA_SASL_PASSWORD or NRM_KAFKA_SASL_PASSWORD_FILE');
  const password = inline ?? fromFile;
  if (username === undefined || password === undefined || password === '') throw new KafkaSecurityError(`SASL ${mechanism} needs NRM_KAFKA_SASL_USERNAME and NRM_KAFKA_SASL_PASSWORD (or NRM_KAFKA_SASL_PASSWORD_FILE)`);
  return { mechanism: MECHANISMS[mechanism as keyof typeof MECHANISMS], username, password };
}

/** The client's TLS and SASL settings; empty when none are set (a plaintext broker, as in development). */
export function kafkaSecurityFromEnv(env: Env = process.env, readFile: ReadFile = (path) => readFileSync(path, 'utf8')): KafkaSecurity {
  const ssl = tlsFrom(env, readFile);
  const sasl = saslFrom(env, readFile);
  return { ...(ssl ? { ssl } : {}), ...(sasl ? { sasl } : {}) };
}

/** One line for the start banner: how the client connects, never a secret. */
export function describeKafkaSecurity(security: KafkaSecurity): string {
  const tls = security.ssl === undefined ? 'plaintext' : security.ssl === true ? 'TLS' : `TLS${security.ssl.cert ? ' with a client certificate' : ''}`;
  return security.sasl ? `${tls}, SASL ${security.sasl.mechanism} as ${(security.sasl as { username: string }).username}` : tls;
}
