// Liveness (`/health`: the process answers) and readiness (`/ready`: what it depends on, such as
// the event store, answers too). Both are public. Encapsulated so that the embedded server can
// mount one pair per service under its prefix, e.g. `/v1/intake/health`.
import type { EventStore } from '@nrm/eventstore';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { NotReadyError } from './errors.ts';

export type ReadinessCheck = {
  name: string;
  /** Resolves when the dependency is usable; throws or rejects when it is not. */
  check: () => Promise<unknown> | unknown;
};

export type HealthRoutesOptions = {
  checks?: readonly ReadinessCheck[];
  /** A check that hangs counts as failed after this long. */
  timeoutMs?: number;
};

const HealthSchema = z.object({ status: z.literal('ok') });
const ReadySchema = z.object({ status: z.literal('ready'), checks: z.array(z.string()) });

async function withinTimeout(check: ReadinessCheck, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`readiness check ${check.name} took longer than ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([Promise.resolve().then(check.check), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export const healthRoutes: FastifyPluginAsyncZod<HealthRoutesOptions> = async (app, options) => {
  const checks = options.checks ?? [];
  const timeoutMs = options.timeoutMs ?? 2000;

  app.get('/health', { config: { public: true }, schema: { security: [], response: { 200: HealthSchema } } }, async () => ({ status: 'ok' as const }));

  app.get('/ready', { config: { public: true }, schema: { security: [], response: { 200: ReadySchema } } }, async (request) => {
    const outcomes = await Promise.allSettled(checks.map((check) => withinTimeout(check, timeoutMs)));
    const failing: string[] = [];
    outcomes.forEach((outcome, index) => {
      if (outcome.status === 'fulfilled') return;
      const name = checks[index]!.name;
      failing.push(name);
      request.log.warn({ check: name, err: outcome.reason }, 'readiness check failed');
    });
    if (failing.length > 0) throw new NotReadyError(failing);
    return { status: 'ready' as const, checks: checks.map((check) => check.name) };
  });
};

/** Ready when the store answers a cheap query. */
export function eventStoreReadiness(store: EventStore): ReadinessCheck {
  return { name: `eventstore:${store.name}`, check: () => store.headPosition() };
}
