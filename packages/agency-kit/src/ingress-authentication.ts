// Who may publish facts to an agency's Kafka ingress topic: the same callers as its HTTP
// ingestion endpoint (POST /v1/<agency>/events), proven the same way: an access token of that
// agency with a writer role, verified with the service's own token verifier. The agency comes
// from the verified token, never from the topic or the message; the recorded actor is the
// token's subject, as on HTTP.
import type { Agency } from '@nrm/contracts';
import type { IngressAuthentication, IngressCredential } from '@nrm/bus';
import { UnauthorizedError } from '@nrm/service-kit';
import type { TokenVerifier } from '@nrm/service-kit';
import { WRITER_ROLES } from './case-command-route.ts';

export function ingressAuthenticator(agency: Agency, verify: TokenVerifier): (credential: IngressCredential) => Promise<IngressAuthentication> {
  return async ({ token, appendedAt }) => {
    if (token === null) return { ok: false, rule: 'unauthenticated', detail: 'a Bearer access token is required in the "authorization" header' };
    let principal;
    try {
      principal = await verify(token, appendedAt ? { at: appendedAt } : {});
    } catch (error) {
      // Anything else (the key set is unreachable) is not the sender's fault: thrown, so retried.
      if (error instanceof UnauthorizedError) return { ok: false, rule: 'unauthenticated', detail: error.message };
      throw error;
    }
    if (principal.agency !== agency) return { ok: false, rule: 'forbidden', detail: `only ${agency} may publish to its ingress topic` };
    if (!WRITER_ROLES.some((role) => principal.roles.includes(role))) return { ok: false, rule: 'forbidden', detail: `requires one of the roles: ${WRITER_ROLES.join(', ')}` };
    return { ok: true, actor: principal.subject };
  };
}
