// Structured logging with pino. Personal data must never reach a log line, even when a handler
// logs a body or an error carries a payload: every field name that may hold it is redacted at
// any depth we log, together with credentials (the Authorization header, plaintext of a seal).
import { LogController } from 'fastify';
import type { FastifyRequest } from 'fastify';
import pino from 'pino';
import type { DestinationStream, Logger, LoggerOptions } from 'pino';

export const PERSONAL_DATA_FIELDS = ['fullName', 'name', 'dateOfBirth', 'idNumber', 'address', 'phone', 'photoRef', 'plaintext', 'freeText'] as const;

export const REDACTED = '[redacted]';

/** pino's redaction has no recursive wildcard, so every depth we care about is spelled out. */
const REDACTION_DEPTH = 4;

export function redactPaths(fields: readonly string[] = PERSONAL_DATA_FIELDS): string[] {
  const paths: string[] = ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization', 'headers.cookie'];
  for (const field of fields) {
    for (let depth = 0; depth <= REDACTION_DEPTH; depth++) {
      paths.push([...Array<string>(depth).fill('*'), field].join('.'));
    }
  }
  return paths;
}

export type LoggingOptions = {
  level?: string;
  /** Where lines go; standard output when omitted. Tests pass a capturing stream. */
  stream?: DestinationStream;
  serviceName?: string;
};

export function loggerOptions(options: Pick<LoggingOptions, 'level' | 'serviceName'> = {}): LoggerOptions {
  return {
    level: options.level ?? process.env.NRM_LOG_LEVEL ?? 'info',
    redact: { paths: redactPaths(), censor: REDACTED },
    base: options.serviceName ? { service: options.serviceName } : {},
    timestamp: pino.stdTimeFunctions.isoTime,
  };
}

export function createLogger(options: LoggingOptions = {}): Logger {
  return options.stream ? pino(loggerOptions(options), options.stream) : pino(loggerOptions(options));
}

/**
 * Fastify's "incoming request" line holds the whole URL, and a query string may carry what a
 * caller searched for (a name, a phone number). Ours logs the path only.
 */
export class PathOnlyLogController extends LogController {
  override incomingRequest(request: FastifyRequest): void {
    if (this.isLogDisabled(request)) return;
    request.log.info({ http: { method: request.method, path: request.url.split('?')[0], remoteAddress: request.ip } }, 'incoming request');
  }
}
