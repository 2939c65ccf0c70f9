// Per-caller rate limits (@fastify/rate-limit), counted after authentication so the key is who
// the verified token says the caller is: an agency's staff and systems share their agency's
// budget (one agency cannot starve the others), a foreign desk has its own, anyone else (an
// auditor, the standing office) counts as themselves. Public routes (health, readiness, published
// keys) are not limited. A refusal is problem+json 429 with Retry-After.
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { RateLimitedError } from './errors.ts';

export type RateLimitOptions = {
  /** Requests per caller key in each window; 0 turns limiting off. */
  max: number;
  windowMs: number;
};

export const RATE_LIMIT_ENV = 'NRM_RATE_LIMIT_PER_MINUTE';
/** 100 requests a second per agency on average: far above what an office's staff and systems send, far below what hurts a service. */
export const DEFAULT_RATE_LIMIT: RateLimitOptions = { max: 6_000, windowMs: 60_000 };

export function rateLimitFromEnv(env: NodeJS.ProcessEnv = process.env): RateLimitOptions {
  const text = env[RATE_LIMIT_ENV];
  if (text === undefined || text === '') return DEFAULT_RATE_LIMIT;
  const max = Number(text);
  if (!Number.isInteger(max) || max < 0) throw new Error(`${RATE_LIMIT_ENV} must be a whole number of requests per minute per caller (0 = no limit); got ${JSON.stringify(text)}`);
  return { max, windowMs: 60_000 };
}

export function callerKey(request: FastifyRequest): string {
  const principal = request.principal;
  if (!principal) return `ip:${request.ip}`;
  if (principal.agency) return `agency:${principal.agency}`;
  if (principal.roles.includes('desk')) return `desk:${principal.subject}`;
  return `subject:${principal.subject}`;
}

export async function registerRateLimit(app: FastifyInstance, options: RateLimitOptions): Promise<void> {
  if (options.max === 0) return;
  await app.register(rateLimit, {
    global: true,
    // After the auth hook (onRequest), so the key is the verified caller.
    hook: 'preHandler',
    max: options.max,
    timeWindow: options.windowMs,
    keyGenerator: callerKey,
    allowList: (request) => request.routeOptions.config.public === true,
    errorResponseBuilder: (_request, context) =>
      new RateLimitedError(`more than ${context.max} requests in ${Math.round(options.windowMs / 1000)} s from this caller; try again in ${Math.ceil(context.ttl / 1000)} s`, Math.ceil(context.ttl / 1000)),
  });
}
