// Authentication on every route: a Bearer access token verified with jose, before the body is
// even parsed, so an anonymous request never reaches a handler or the store. Health routes and
// any route with `config: { public: true }` opt out. Role and agency guards answer 403.
import type { Agency } from '@nrm/contracts';
import type { FastifyRequest } from 'fastify';
import fastifyPlugin from 'fastify-plugin';
import { ForbiddenError, UnauthorizedError } from './errors.ts';
import type { Principal } from './principal.ts';
import { createTokenVerifier } from './token-verifier.ts';
import type { TokenVerifier, TokenVerifierOptions } from './token-verifier.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the auth plugin on every non-public route; null on public ones. */
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    /** Serve without a token (health, readiness, published keys). */
    public?: boolean;
  }
}

/** Either how to verify tokens, or a verifier already made (one per process in embedded mode). */
export type AuthOptions = TokenVerifierOptions | { verifier: TokenVerifier };

function bearerTokenOf(request: FastifyRequest): string {
  const header = request.headers.authorization;
  if (header === undefined || header === '') throw new UnauthorizedError('a Bearer access token is required', false);
  const match = /^Bearer[ ]+([A-Za-z0-9\-_.~+/]+=*)$/i.exec(header);
  if (!match?.[1]) throw new UnauthorizedError('the Authorization header is not "Bearer <token>"', true);
  return match[1];
}

export const authPlugin = fastifyPlugin<AuthOptions>(
  async (app, options) => {
    const verify = 'verifier' in options ? options.verifier : await createTokenVerifier(options);
    app.decorateRequest('principal', null);
    app.addHook('onRequest', async (request) => {
      if (request.routeOptions.config.public === true) return;
      request.principal = await verify(bearerTokenOf(request));
    });
  },
  { name: 'nrm-auth', fastify: '5.x', dependencies: ['nrm-problem-details'] },
);

/** The authenticated caller; throws on a public route, where there is none. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new UnauthorizedError('a Bearer access token is required', false);
  return request.principal;
}

/** preHandler: the caller must hold at least one of the roles. */
export function requireRole(...roles: string[]): (request: FastifyRequest) => Promise<void> {
  return async (request) => {
    const principal = principalOf(request);
    if (!roles.some((role) => principal.roles.includes(role))) {
      throw new ForbiddenError(`requires one of the roles: ${roles.join(', ')}`);
    }
  };
}

/** preHandler: the caller must act for one of the agencies (an agency writes only its own events). */
export function requireAgency(...agencies: Agency[]): (request: FastifyRequest) => Promise<void> {
  return async (request) => {
    const principal = principalOf(request);
    if (principal.agency === undefined || !agencies.includes(principal.agency)) {
      throw new ForbiddenError(`only ${agencies.join(', ')} may do this`);
    }
  };
}
