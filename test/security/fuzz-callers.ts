// Who the fuzz calls each route as: the first kind of caller the access matrix lets through, so
// hostile requests reach validation and the handler instead of stopping at 401 or 403.
import type { Agency } from '@nrm/contracts';
import { PRINCIPAL_KINDS, serviceOf } from './access-matrix.ts';
import type { PrincipalKind, RouteAccess } from './access-matrix.ts';

export const FUZZ_DESK_ID = 'kh-fuzz-desk';

export type Claims = { subject: string; roles: string[]; agency?: Agency; country?: string };

/** The caller the route accepts; null for a public route (no token). */
export function allowedCaller(route: RouteAccess): Exclude<PrincipalKind, 'anonymous'> | null {
  const kind = PRINCIPAL_KINDS.find((each) => route.expected[each] === 'allowed');
  if (kind === undefined) throw new Error(`no caller may call ${route.method} ${route.path}`);
  return kind === 'anonymous' ? null : kind;
}

export function claimsOf(kind: Exclude<PrincipalKind, 'anonymous'>, route: RouteAccess): Claims {
  const agency = serviceOf(route.path) ?? 'intake';
  switch (kind) {
    case 'clerk':
    case 'supervisor':
    case 'agency-admin':
      return { subject: `${agency}-fuzz-${kind}`, roles: [kind], agency };
    case 'auditor':
    case 'standing-office-admin':
      return { subject: `fuzz-${kind}`, roles: [kind] };
    case 'desk':
      return { subject: FUZZ_DESK_ID, roles: ['desk'], country: 'KH' };
    case 'other-agency-clerk':
    case 'other-desk':
      throw new Error(`${kind} is never the caller a route is fuzzed as`);
    default: {
      const never: never = kind;
      throw new Error(`no claims for ${String(never)}`);
    }
  }
}
