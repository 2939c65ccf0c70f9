// The access-control matrix: for every HTTP route of the backbone (method and path template as
// Fastify registers them) and every kind of caller, what the caller is expected to get. The e2e
// spec (test/e2e/access-matrix.e2e.spec.ts) holds the running backbone to it, route by route and
// caller by caller; `node test/security/render-access-matrix.ts` writes it into docs/security.md.
//
// The agency a caller acts for is always its token's `agency` claim: every agency route compares
// it with the agency that owns the service (requireAgency), never with anything in the path or
// body. A desk is its token's subject (role `desk`), compared with the desk id in the path.
import type { Agency } from '@nrm/contracts';

export const PRINCIPAL_KINDS = [
  'anonymous',
  'clerk',
  'supervisor',
  'agency-admin',
  'other-agency-clerk',
  'auditor',
  'standing-office-admin',
  'desk',
  'other-desk',
] as const;
export type PrincipalKind = (typeof PRINCIPAL_KINDS)[number];

/** What each kind of caller is, for the spec that mints their tokens and for the document. */
export const PRINCIPAL_DESCRIPTIONS: Record<PrincipalKind, string> = {
  anonymous: 'no Authorization header',
  clerk: 'role `clerk`, `agency` = the service that owns the route',
  supervisor: 'role `supervisor`, `agency` = the owning service',
  'agency-admin': 'role `agency-admin`, `agency` = the owning service',
  'other-agency-clerk': 'role `clerk` of another agency (intake, or identification on intake routes)',
  auditor: 'role `auditor`, no agency',
  'standing-office-admin': 'role `standing-office-admin`, no agency',
  desk: 'role `desk`, subject = the desk id the path names (`kh-matrix-desk`), `country` KH',
  'other-desk': 'role `desk` of another desk (`la-other-desk`, country LA) on the same path',
};

/**
 * - `allowed`: the policy lets the call through (any 2xx, or a 4xx about the request itself: invalid
 *   input, a case or packet that does not exist, a domain rule);
 * - `401`: no valid token; `403`: a token without the role or agency the route needs;
 * - `404-hidden`: deliberately answered "not found", so the caller learns nothing of what exists
 *   (another desk's feed, another agency's case).
 */
export type Outcome = 'allowed' | '401' | '403' | '404-hidden';

export type RouteAccess = { method: 'GET' | 'POST' | 'PUT'; path: string; policy: PolicyName; expected: Record<PrincipalKind, Outcome> };

const OWNER_ROLES = ['clerk', 'supervisor', 'agency-admin'] as const;

function outcomes(base: Outcome, overrides: Partial<Record<PrincipalKind, Outcome>>): Record<PrincipalKind, Outcome> {
  return Object.fromEntries(PRINCIPAL_KINDS.map((kind) => [kind, overrides[kind] ?? base])) as Record<PrincipalKind, Outcome>;
}
const owners = (outcome: Outcome) => Object.fromEntries(OWNER_ROLES.map((role) => [role, outcome])) as Partial<Record<PrincipalKind, Outcome>>;

/** The policies a route can have; each route below names one. */
export const POLICIES = {
  public: { summary: 'no token needed', expected: outcomes('allowed', {}) },
  'agency-staff': {
    summary: "the owning agency's clerk, supervisor or agency-admin (requireAgency + requireRole)",
    expected: outcomes('403', { anonymous: '401', ...owners('allowed') }),
  },
  'agency-admin': {
    summary: "the owning agency's agency-admin only (requireAgency + requireRole('agency-admin'))",
    expected: outcomes('403', { anonymous: '401', 'agency-admin': 'allowed' }),
  },
  'agency-case-view': {
    summary: "the owning agency's staff; another agency's clerk is told the case does not exist",
    expected: outcomes('403', { anonymous: '401', ...owners('allowed'), 'other-agency-clerk': '404-hidden' }),
  },
  auditors: { summary: 'auditor or standing-office-admin', expected: outcomes('403', { anonymous: '401', auditor: 'allowed', 'standing-office-admin': 'allowed' }) },
  'inclusion-proof': {
    summary: "auditors; a desk only for the log events about its own packets (any other event is 'not found')",
    expected: outcomes('403', { anonymous: '401', auditor: 'allowed', 'standing-office-admin': 'allowed', desk: '404-hidden', 'other-desk': '404-hidden' }),
  },
  'desk-admin': { summary: 'standing-office-admin only', expected: outcomes('403', { anonymous: '401', 'standing-office-admin': 'allowed' }) },
  'desk-entry': {
    summary: "auditors, and the desk itself; another desk is told it does not exist",
    expected: outcomes('403', { anonymous: '401', auditor: 'allowed', 'standing-office-admin': 'allowed', desk: 'allowed', 'other-desk': '404-hidden' }),
  },
  'desk-only': { summary: 'the desk itself; anyone else is told it does not exist', expected: outcomes('404-hidden', { anonymous: '401', desk: 'allowed' }) },
  'packet-receipt': {
    summary: "auditors and the desk the packet was sent to; anyone else is told it does not exist",
    expected: outcomes('404-hidden', { anonymous: '401', auditor: 'allowed', 'standing-office-admin': 'allowed', desk: 'allowed' }),
  },
} as const satisfies Record<string, { summary: string; expected: Record<PrincipalKind, Outcome> }>;
export type PolicyName = keyof typeof POLICIES;

const AGENCY_SERVICES = ['intake', 'identification', 'rescue', 'protection', 'reintegration'] as const;

/** Each agency's own command routes (POST, requireAgency + requireRole), after /v1/<agency>. */
const COMMAND_ROUTES: Record<(typeof AGENCY_SERVICES)[number], string[]> = {
  intake: ['/tips', '/cases/:caseId/classification', '/cases/:caseId/closure'],
  identification: ['/cases/:caseId/verification-steps', '/cases/:caseId/identified-victims', '/cases/:caseId/not-identified-persons'],
  rescue: [
    '/rescues',
    '/cases/:caseId/rescues',
    '/cases/:caseId/operation-plans',
    '/cases/:caseId/operation-reports',
    '/cases/:caseId/recovered-persons',
    '/returns',
    '/cases/:caseId/returns',
    '/cases/:caseId/handovers',
    '/cases/:caseId/handover-schedules',
    '/cases/:caseId/handover-completions',
  ],
  protection: [
    '/cases/:caseId/opening',
    '/cases/:caseId/consents',
    '/cases/:caseId/consent-withdrawals',
    '/cases/:caseId/shelter-admissions',
    '/cases/:caseId/shelter-discharges',
    '/cases/:caseId/safety-measures',
    '/cases/:caseId/initial-support',
  ],
  reintegration: ['/cases/:caseId/plans', '/cases/:caseId/support-deliveries', '/cases/:caseId/follow-up-visits', '/cases/:caseId/closure'],
};

/** Every agency service also has the referral lifecycle, fact ingestion and its read models. */
const REFERRAL_ROUTES = ['/cases/:caseId/referrals', ...['accept', 'decline', 'complete', 'withdraw'].map((step) => `/cases/:caseId/referrals/:referralId/${step}`)];

type RouteLine = [method: RouteAccess['method'], path: string, policy: PolicyName];

function serviceCommon(service: Agency): RouteLine[] {
  return [
    ['GET', `/v1/${service}/health`, 'public'],
    ['GET', `/v1/${service}/ready`, 'public'],
    ['GET', `/v1/${service}/openapi.json`, 'public'],
    ['GET', `/v1/${service}/docs`, 'public'],
  ];
}

function agencyRoutes(agency: (typeof AGENCY_SERVICES)[number]): RouteLine[] {
  const prefix = `/v1/${agency}`;
  return [
    ...serviceCommon(agency),
    ...[...COMMAND_ROUTES[agency], ...REFERRAL_ROUTES, '/events'].map((path): RouteLine => ['POST', `${prefix}${path}`, 'agency-staff']),
    ['GET', `${prefix}/cases/:caseId`, 'agency-case-view'],
    ['GET', `${prefix}/cases/:caseId/persons/:personId/personal-data`, 'agency-staff'],
    ['GET', `${prefix}/inbox`, 'agency-staff'],
    ['GET', `${prefix}/cases`, 'agency-staff'],
    ['POST', `${prefix}/persons/:personId/erasure`, 'agency-admin'],
  ];
}

const AUDIT_ROUTES: RouteLine[] = [
  ...serviceCommon('audit'),
  ['GET', '/v1/audit/cases/:caseId/events', 'auditors'],
  ['GET', '/v1/audit/cases/:caseId', 'auditors'],
  ['GET', '/v1/audit/cases/:caseId/bundle', 'auditors'],
  ['GET', '/v1/audit/statistics', 'auditors'],
  ['GET', '/v1/audit/.well-known/jwks.json', 'public'],
  ['GET', '/v1/audit/log/tree-head', 'public'],
  ['GET', '/v1/audit/log/proofs/inclusion', 'inclusion-proof'],
  ['GET', '/v1/audit/log/proofs/consistency', 'auditors'],
  ['GET', '/v1/audit/console', 'public'],
  ['GET', '/v1/audit/console/app.js', 'public'],
  ['GET', '/v1/audit/console/app.css', 'public'],
];

const LIAISON_ROUTES: RouteLine[] = [
  ...serviceCommon('liaison'),
  ['POST', '/v1/liaison/desks', 'desk-admin'],
  ['GET', '/v1/liaison/desks', 'auditors'],
  ['GET', '/v1/liaison/desks/:deskId', 'desk-entry'],
  ['PUT', '/v1/liaison/desks/:deskId/profile', 'desk-admin'],
  ['PUT', '/v1/liaison/desks/:deskId/keys', 'desk-admin'],
  ['GET', '/v1/liaison/desks/:deskId/jwks.json', 'public'],
  ['GET', '/v1/liaison/.well-known/jwks.json', 'public'],
  ['GET', '/v1/liaison/desks/:deskId/feed', 'desk-only'],
  ['GET', '/v1/liaison/desks/:deskId/feed/stream', 'desk-only'],
  ['POST', '/v1/liaison/desks/:deskId/acknowledgements', 'desk-only'],
  ['GET', '/v1/liaison/packets/:packetId/receipt', 'packet-receipt'],
  ['GET', '/v1/liaison/overdue', 'auditors'],
  ['POST', '/v1/liaison/desks/:deskId/cosignatures', 'desk-only'],
  ['GET', '/v1/liaison/cosignatures', 'public'],
];

/** The process-wide health routes of the embedded server, outside any service. */
const ROOT_ROUTES: RouteLine[] = [
  ['GET', '/health', 'public'],
  ['GET', '/ready', 'public'],
];

export const ACCESS_MATRIX: readonly RouteAccess[] = [...ROOT_ROUTES, ...AGENCY_SERVICES.flatMap(agencyRoutes), ...AUDIT_ROUTES, ...LIAISON_ROUTES].map(([method, path, policy]) => ({
  method,
  path,
  policy,
  expected: POLICIES[policy].expected,
}));

/** The service a route belongs to (its owning agency), or null for the process-wide routes. */
export function serviceOf(path: string): Agency | null {
  return (/^\/v1\/([a-z]+)\//.exec(path)?.[1] as Agency | undefined) ?? null;
}

export function routeKey(route: { method: string; path: string }): string {
  return `${route.method} ${route.path}`;
}
