// Typed errors that carry their meaning. Deciders and routes throw these; the one error handler
// (problem-handler.ts) turns them into problem+json. Anything that is not one of these is a bug
// and becomes an anonymous 500.
import type { FieldIssue } from './problem-details.ts';

/** An error the HTTP edge may show the caller: its status, stable slug and title are public. */
export abstract class ProblemError extends Error {
  abstract readonly status: number;
  abstract readonly slug: string;
  abstract readonly title: string;
}

export class ValidationError extends ProblemError {
  override readonly name = 'ValidationError';
  readonly status = 400;
  readonly slug = 'validation';
  readonly title = 'The request is not valid';
  readonly issues: readonly FieldIssue[];

  constructor(detail: string, issues: readonly FieldIssue[] = []) {
    super(detail);
    this.issues = issues;
  }
}

/** A domain rule refuses the command as such (422); `rule` is the rule's stable name. */
export class DomainRuleError extends ProblemError {
  override readonly name: string = 'DomainRuleError';
  readonly status: number = 422;
  readonly slug: string = 'domain-rule';
  readonly title: string = 'A domain rule refuses the command';
  readonly rule: string;

  constructor(rule: string, detail: string) {
    super(detail);
    this.rule = rule;
  }
}

/** The command is fine but not in the current state (409), e.g. accepting a withdrawn referral. */
export class IllegalStateError extends DomainRuleError {
  override readonly name = 'IllegalStateError';
  override readonly status = 409;
  override readonly slug = 'illegal-state';
  override readonly title = 'The command conflicts with the current state';
}

export class NotFoundError extends ProblemError {
  override readonly name = 'NotFoundError';
  readonly status = 404;
  readonly slug = 'not-found';
  readonly title = 'Not found';
}

/**
 * The stream moved on under a write. When the caller named the revision it saw (If-Match) the
 * caller must re-read: 412. Otherwise the runtime already retried and gave up: 409.
 */
export class ConcurrencyError extends ProblemError {
  override readonly name = 'ConcurrencyError';
  readonly status: 409 | 412;
  readonly slug: string;
  readonly title: string;
  readonly stream: string;
  readonly expected: string;
  readonly actual: string;

  constructor(options: { stream: string; expected: number | string; actual: number | string; fromIfMatch: boolean; cause?: unknown }) {
    super(`stream ${options.stream} is at revision ${options.actual}, not ${options.expected}`, { cause: options.cause });
    this.stream = options.stream;
    this.expected = String(options.expected);
    this.actual = String(options.actual);
    this.status = options.fromIfMatch ? 412 : 409;
    this.slug = options.fromIfMatch ? 'stale-revision' : 'concurrency-conflict';
    this.title = options.fromIfMatch ? 'The resource changed since it was read' : 'A concurrent write conflicted; try again';
  }
}

export class UnauthorizedError extends ProblemError {
  override readonly name = 'UnauthorizedError';
  readonly status = 401;
  readonly slug = 'unauthorized';
  readonly title = 'Authentication is required';
  /** False when no token came at all: RFC 6750 then wants no error code in WWW-Authenticate. */
  readonly tokenPresented: boolean;

  constructor(detail: string, tokenPresented: boolean) {
    super(detail);
    this.tokenPresented = tokenPresented;
  }
}

export class ForbiddenError extends ProblemError {
  override readonly name = 'ForbiddenError';
  readonly status = 403;
  readonly slug = 'forbidden';
  readonly title = 'Not allowed';
}

export class NotReadyError extends ProblemError {
  override readonly name = 'NotReadyError';
  readonly status = 503;
  readonly slug = 'not-ready';
  readonly title = 'The service is not ready';
  readonly failingChecks: readonly string[];

  constructor(failingChecks: readonly string[]) {
    super(`failing readiness checks: ${failingChecks.join(', ')}`);
    this.failingChecks = failingChecks;
  }
}

/** Too many requests from one caller in the window (429); Retry-After says when to try again. */
export class RateLimitedError extends ProblemError {
  override readonly name = 'RateLimitedError';
  readonly status = 429;
  readonly slug = 'rate-limited';
  readonly title = 'Too many requests';
  readonly retryAfterSeconds: number;

  constructor(detail: string, retryAfterSeconds: number) {
    super(detail);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}
