// The 5xx answers the fuzz found and reported, not yet fixed. A case that trips one is counted,
// not failed, so the route still gets its whole budget of cases; each bug's minimal request is
// replayed after the run, and the spec holds it to "below 500" with `it.fails`: green while the
// bug stands, red (remove the entry) once it is fixed.
import type { HostileRequest } from './fuzz-requests.ts';

export type KnownBug = {
  id: string;
  summary: string;
  /** Whether a 5xx answer to this request on this route is this bug. */
  matches(route: { method: string; path: string }, request: HostileRequest): boolean;
  /** The smallest request that shows it, and who sends it. */
  minimal: { method: 'GET' | 'POST'; url: string; caller: { subject: string; roles: string[]; agency?: 'intake' } };
};

// Found by the fuzz and fixed: list routes answered 500 to an `after` cursor the projection store
// did not issue (now 400, packages/service-kit/src/problem-handler.ts).
export const KNOWN_BUGS: readonly KnownBug[] = [];
