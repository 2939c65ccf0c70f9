// Who is calling: the claims the backbone reads from an access token, and the principal the
// routes see. Claims name the agency, the roles and, for foreign liaison desks, the country.
import { AgencySchema } from '@nrm/contracts';
import type { Agency } from '@nrm/contracts';
import { z } from 'zod';

/** The issuer of tokens that `nrm token` and `nrm start` mint with the local development key. */
export const DEV_ISSUER = 'nrm-backbone-dev';
/** The audience every backbone service accepts. */
export const NRM_AUDIENCE = 'nrm-backbone';

export const AccessClaimsSchema = z.object({
  sub: z.string().min(1).max(200),
  agency: AgencySchema.optional(),
  roles: z.array(z.string().min(1).max(100)).max(50),
  country: z
    .string()
    .regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code')
    .optional(),
});
export type AccessClaims = z.infer<typeof AccessClaimsSchema>;

export type Principal = {
  subject: string;
  agency?: Agency;
  roles: readonly string[];
  country?: string;
};

export function principalFromClaims(claims: AccessClaims): Principal {
  const principal: Principal = { subject: claims.sub, roles: claims.roles };
  if (claims.agency !== undefined) principal.agency = claims.agency;
  if (claims.country !== undefined) principal.country = claims.country;
  return principal;
}
