// The roles a token may carry (DESIGN.md "Trust"). Agency staff hold agency roles together with
// their agency claim; auditors only read; foreign desks carry a country claim.
import { z } from 'zod';

export const ROLES = ['clerk', 'supervisor', 'agency-admin', 'auditor', 'standing-office-admin', 'desk'] as const;
export const RoleSchema = z.enum(ROLES);
export type Role = z.infer<typeof RoleSchema>;
