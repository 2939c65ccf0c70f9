// The one error handler of every app: typed errors, Fastify's own client errors and the event
// store's conflicts become RFC 9457 problem+json; anything else is a bug, answered with a
// generic 500 whose details go to the log only (they may hold personal data or internals).
import { WrongExpectedRevisionError } from '@nrm/eventstore';
import type { FastifyError, FastifyReply, FastifyRequest, FastifySchemaValidationError } from 'fastify';
import fastifyPlugin from 'fastify-plugin';
import { InvalidProjectionRequestError } from '@nrm/projections';
import { SubjectErasedError } from '@nrm/vault';
import { DomainRuleError, ProblemError, RateLimitedError, UnauthorizedError, ValidationError } from './errors.ts';
import { PROBLEM_CONTENT_TYPE, problemType } from './problem-details.ts';
import type { FieldIssue, ProblemDetails } from './problem-details.ts';

export const AUTH_REALM = 'nrm-backbone';

/** A problem before it is tied to a request: the edge adds `instance`. */
export type Problem = {
  details: Omit<ProblemDetails, 'instance'>;
  headers: Record<string, string>;
  /** True when the caller is not at fault: the error itself is logged, never sent. */
  internal: boolean;
};

/** Fastify's client-side errors (body too large, bad JSON, wrong media type) and their slugs. */
const FASTIFY_CLIENT_ERRORS: Record<number, { slug: string; title: string }> = {
  400: { slug: 'bad-request', title: 'The request could not be read' },
  404: { slug: 'not-found', title: 'Not found' },
  405: { slug: 'method-not-allowed', title: 'Method not allowed' },
  406: { slug: 'not-acceptable', title: 'Not acceptable' },
  413: { slug: 'payload-too-large', title: 'The request body is too large' },
  415: { slug: 'unsupported-media-type', title: 'Unsupported media type' },
};

function fieldIssuesOf(validation: readonly FastifySchemaValidationError[], context: string): FieldIssue[] {
  return validation.map((issue) => {
    const path = issue.instancePath.split('/').filter((segment) => segment !== '');
    const missing = (issue.params as { missingProperty?: unknown } | undefined)?.missingProperty;
    if (typeof missing === 'string') path.push(missing);
    return { field: [context, ...path].join('.'), message: issue.message ?? issue.keyword };
  });
}

function isFastifyError(error: unknown): error is FastifyError {
  return error instanceof Error && typeof (error as FastifyError).code === 'string';
}

export function problemOf(error: unknown): Problem {
  if (error instanceof ValidationError) {
    return { details: { type: problemType(error.slug), title: error.title, status: error.status, detail: error.message, errors: [...error.issues] }, headers: {}, internal: false };
  }
  if (error instanceof ProblemError) {
    const details: Problem['details'] = { type: problemType(error.slug), title: error.title, status: error.status, detail: error.message };
    if (error instanceof DomainRuleError) details.rule = error.rule;
    const headers: Record<string, string> = {};
    if (error instanceof UnauthorizedError) {
      // RFC 6750 §3.1: no error code when the request carried no credentials at all.
      headers['www-authenticate'] = error.tokenPresented ? `Bearer realm="${AUTH_REALM}", error="invalid_token"` : `Bearer realm="${AUTH_REALM}"`;
    }
    if (error instanceof RateLimitedError) headers['retry-after'] = String(error.retryAfterSeconds);
    return { details, headers, internal: false };
  }
  if (error instanceof WrongExpectedRevisionError) {
    // A store conflict that escaped the decider runtime (a route appending directly).
    return { details: { type: problemType('concurrency-conflict'), title: 'A concurrent write conflicted; try again', status: 409, detail: `stream ${error.stream} changed concurrently` }, headers: {}, internal: false };
  }
  if (error instanceof InvalidProjectionRequestError) {
    // A read model refused what it was asked (a cursor it never issued, a limit out of range):
    // the caller's request, not the server. Its message names the parameter, never data.
    return { details: { type: problemType('validation'), title: 'The request is not valid', status: 400, detail: error.message, errors: [] }, headers: {}, internal: false };
  }
  if (error instanceof SubjectErasedError) {
    // Sealing or opening data of an erased person, from any route: the person is gone for good,
    // which is the caller's news, not the server's fault. The detail names no one.
    return { details: { type: problemType('person-erased'), title: 'The person’s personal data was erased', status: 410, detail: 'this person was erased: their personal data can no longer be read or recorded' }, headers: {}, internal: false };
  }
  if (isFastifyError(error) && Array.isArray(error.validation)) {
    const errors = fieldIssuesOf(error.validation, error.validationContext ?? 'body');
    return {
      details: { type: problemType('validation'), title: 'The request is not valid', status: 400, detail: errors.map((issue) => `${issue.field}: ${issue.message}`).join('; '), errors },
      headers: {},
      internal: false,
    };
  }
  if (isFastifyError(error) && error.code.startsWith('FST_') && error.statusCode !== undefined) {
    const known = FASTIFY_CLIENT_ERRORS[error.statusCode];
    if (known) return { details: { type: problemType(known.slug), title: known.title, status: error.statusCode, detail: error.message }, headers: {}, internal: false };
  }
  return { details: { type: problemType('internal'), title: 'Internal error', status: 500, detail: 'The error was logged; quote the instance when reporting it.' }, headers: {}, internal: true };
}

/**
 * Errors Fastify's router raises before any route or hook runs (a malformed percent escape, a
 * path parameter over its length limit): problem+json like every other refusal, and without the
 * URL, which may carry anything.
 */
export function frameworkProblem(error: FastifyError): Problem {
  const status = typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 400;
  const uriTooLong = status === 414;
  return {
    details: { type: problemType(uriTooLong ? 'uri-too-long' : 'bad-url'), title: uriTooLong ? 'A part of the URL is too long' : 'The URL is not valid', status, detail: uriTooLong ? 'a path parameter is longer than allowed' : 'the URL could not be read (a malformed escape or character)' },
    headers: {},
    internal: false,
  };
}

export function sendProblem(request: FastifyRequest, reply: FastifyReply, problem: Problem): FastifyReply {
  return reply
    .code(problem.details.status)
    .headers(problem.headers)
    .type(PROBLEM_CONTENT_TYPE)
    .send({ ...problem.details, instance: request.id });
}

/** Registered once at the root; every encapsulated service inherits the same handlers. */
export const problemDetailsPlugin = fastifyPlugin(
  async (app) => {
    app.setErrorHandler((error, request, reply) => {
      const problem = problemOf(error);
      if (problem.internal) request.log.error({ err: error }, 'request failed');
      else request.log.info({ problem: problem.details.type, status: problem.details.status }, 'request refused');
      return sendProblem(request, reply, problem);
    });
    app.setNotFoundHandler((request, reply) => {
      const path = request.url.split('?')[0] ?? '/';
      return sendProblem(request, reply, { details: { type: problemType('not-found'), title: 'Not found', status: 404, detail: `no route for ${request.method} ${path}` }, headers: {}, internal: false });
    });
  },
  { name: 'nrm-problem-details', fastify: '5.x' },
);
