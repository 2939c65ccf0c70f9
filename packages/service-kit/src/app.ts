// The app factory every service and the embedded server share: Fastify 5 with zod schemas,
// problem+json errors, authentication, trace context, health routes and an OpenAPI document.
// It builds and never listens, so tests use `app.inject()` and the CLI decides where to listen.
import { newId } from '@nrm/contracts';
import swagger from '@fastify/swagger';
import Fastify from 'fastify';
import type { FastifyBaseLogger, FastifyInstance, FastifyPluginOptions, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod';
import { authPlugin } from './auth.ts';
import type { AuthOptions } from './auth.ts';
import { healthRoutes } from './health.ts';
import type { ReadinessCheck } from './health.ts';
import { PathOnlyLogController, createLogger } from './logging.ts';
import type { LoggingOptions } from './logging.ts';
import { frameworkProblem, problemDetailsPlugin, sendProblem } from './problem-handler.ts';
import { rateLimitFromEnv, registerRateLimit } from './rate-limit.ts';
import type { RateLimitOptions } from './rate-limit.ts';
import { traceContextPlugin } from './trace-context.ts';

export type NrmApp = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, ZodTypeProvider>;

/** A feature of a service (its routes and hooks), with zod-typed requests and replies. */
export type ServicePlugin<Options extends FastifyPluginOptions = Record<never, never>> = FastifyPluginAsyncZod<Options>;

export type BuildAppOptions = {
  serviceName: string;
  /** Required: every route but the public ones needs a verified token. */
  auth: AuthOptions;
  logger?: LoggingOptions;
  /** Bytes; 1 MiB by default. Personal data travels sealed, so bodies stay small. */
  bodyLimit?: number;
  /** Checks behind the root `/ready`. */
  readinessChecks?: readonly ReadinessCheck[];
  openapi?: { title?: string; version?: string; description?: string };
  trustProxy?: boolean | string | string[];
  /** Per-caller limits; NRM_RATE_LIMIT_PER_MINUTE (or 6,000 a minute) by default, `{ max: 0 }` for none. */
  rateLimit?: RateLimitOptions;
  /** Milliseconds a client has to send a whole request (slow senders are cut off); 30 s by default. */
  requestTimeoutMs?: number;
};

export const DEFAULT_BODY_LIMIT = 1024 * 1024;

export async function buildApp(options: BuildAppOptions): Promise<NrmApp> {
  const app = Fastify({
    loggerInstance: createLogger({ serviceName: options.serviceName, ...options.logger }),
    logController: new PathOnlyLogController(),
    // Request ids are ULIDs, so log lines and problem `instance`s sort by time; a caller's own id is not trusted.
    genReqId: () => newId(),
    requestIdHeader: false,
    bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
    trustProxy: options.trustProxy ?? false,
    requestTimeout: options.requestTimeoutMs ?? 30_000,
    frameworkErrors: (error, request, reply) => sendProblem(request, reply, frameworkProblem(error)),
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  // Awaited in order: hooks and the swagger route collector must exist before any service route.
  await app.register(swagger, {
    openapi: {
      info: { title: options.openapi?.title ?? options.serviceName, version: options.openapi?.version ?? '0.1.0', description: options.openapi?.description },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(problemDetailsPlugin);
  await app.register(traceContextPlugin);
  await app.register(authPlugin, options.auth);
  await registerRateLimit(app as unknown as FastifyInstance, options.rateLimit ?? rateLimitFromEnv());
  await app.register(healthRoutes, { checks: options.readinessChecks ?? [] });
  return app as unknown as NrmApp;
}
