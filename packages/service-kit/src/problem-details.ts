// RFC 9457 problem details: the one shape every error response of the backbone takes. Each kind
// of problem has a stable `type` URI under one base, so clients can branch on it and the runbook
// can document it; the base lives here and nowhere else.
import { z } from 'zod';

export const PROBLEM_TYPE_BASE = 'https://nrm.gov.vn/problems/';
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export function problemType(slug: string): string {
  return `${PROBLEM_TYPE_BASE}${slug}`;
}

/** One invalid field: `field` starts with where it was (body, querystring, params, headers). */
export const FieldIssueSchema = z.object({
  field: z.string(),
  message: z.string(),
});
export type FieldIssue = z.infer<typeof FieldIssueSchema>;

/** Every member the backbone sends; services may list it as the schema of their error responses. */
export const ProblemDetailsSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.int(),
  detail: z.string().optional(),
  instance: z.string().optional(),
  errors: z.array(FieldIssueSchema).optional(),
  rule: z.string().optional(),
});
export type ProblemDetails = z.infer<typeof ProblemDetailsSchema>;
