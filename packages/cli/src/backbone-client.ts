// A small client of the backbone's public HTTP API for `nrm demo` and `nrm simulate`: a token
// per agency from the local dev key, JSON in and out, problem+json turned into errors that
// name the rule. Every write carries an Idempotency-Key, so retrying after a dropped
// connection or a server restart can never write twice; retries are bounded in time.
import { newId } from '@nrm/contracts';
import type { Agency } from '@nrm/contracts';
import { loadOrCreateDevKeys, mintToken } from '@nrm/service-kit';

export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly status: number;
  readonly problem: { type?: string; title?: string; detail?: string; rule?: string; errors?: unknown };

  constructor(method: string, path: string, status: number, problem: ApiError['problem']) {
    super(`${method} ${path} → ${status} ${problem.rule ?? problem.title ?? ''}: ${problem.detail ?? ''}${problem.errors ? ` ${JSON.stringify(problem.errors)}` : ''}`);
    this.status = status;
    this.problem = problem;
  }
}

export type ClientOptions = {
  /** Where each agency's API is: one backbone for all (embedded), or a URL per service (distributed). */
  baseUrl: string | Readonly<Record<Agency, string>>;
  dataDir: string;
  /** How long a request keeps being retried while the server cannot be reached. */
  retryForMs?: number;
  onRetry?: (attempt: number, error: unknown) => void;
};

const ROLES_OF: Record<Agency, string[]> = {
  intake: ['clerk'],
  identification: ['clerk'],
  rescue: ['clerk'],
  protection: ['clerk'],
  reintegration: ['clerk'],
  audit: ['auditor'],
  liaison: ['clerk'],
};

export type BackboneClient = {
  post<T = Record<string, unknown>>(agency: Agency, path: string, body: unknown, options?: { idempotencyKey?: string }): Promise<T>;
  get<T = Record<string, unknown>>(agency: Agency, path: string): Promise<T>;
  /** Polls `check` until it returns a value, failing after `timeoutMs` (default: 15 s or retryForMs, whichever is longer). */
  waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs?: number): Promise<T>;
};

function retryable(error: unknown): boolean {
  if (error instanceof ApiError) return error.status >= 500 || error.status === 429;
  return true;
}

export async function createBackboneClient(options: ClientOptions): Promise<BackboneClient> {
  const keys = await loadOrCreateDevKeys(options.dataDir);
  const tokens = new Map<Agency, { token: string; expires: number }>();
  const retryForMs = options.retryForMs ?? 0;
  const baseUrlOf = (agency: Agency) => (typeof options.baseUrl === 'string' ? options.baseUrl : options.baseUrl[agency]);

  async function tokenFor(agency: Agency): Promise<string> {
    const cached = tokens.get(agency);
    if (cached && cached.expires > Date.now() + 60_000) return cached.token;
    const token = await mintToken({ privateKey: keys.privateKey, kid: keys.kid, subject: `nrm-cli-${agency}`, roles: ROLES_OF[agency], agency, ttlSeconds: 3600 });
    tokens.set(agency, { token, expires: Date.now() + 3_600_000 });
    return token;
  }

  async function send<T>(method: 'GET' | 'POST', agency: Agency, path: string, body?: unknown, idempotencyKey?: string): Promise<T> {
    const deadline = Date.now() + retryForMs;
    for (let attempt = 1; ; attempt++) {
      try {
        const response = await fetch(`${baseUrlOf(agency)}/v1/${agency}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${await tokenFor(agency)}`,
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
            ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          signal: AbortSignal.timeout(15_000),
        });
        const text = await response.text();
        const json = text ? (JSON.parse(text) as T & ApiError['problem']) : ({} as T & ApiError['problem']);
        if (!response.ok) throw new ApiError(method, `/v1/${agency}${path}`, response.status, json);
        return json;
      } catch (error) {
        if (!retryable(error) || Date.now() > deadline) throw error;
        options.onRetry?.(attempt, error);
        await new Promise((resolve) => setTimeout(resolve, Math.min(2000, 50 * 2 ** Math.min(attempt, 6))));
      }
    }
  }

  return {
    post: (agency, path, body, postOptions = {}) => send('POST', agency, path, body, postOptions.idempotencyKey ?? newId()),
    get: (agency, path) => send('GET', agency, path),
    // Waiting for something another service does (a referral crossing the bus) is bounded like
    // retrying: at least 15 s, longer when the caller expects outages.
    async waitFor(what, check, timeoutMs = Math.max(15_000, retryForMs)) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const value = await check();
        if (value !== undefined) return value;
        if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
  };
}
