// A desk registers public keys only. The JWK schema already refuses unknown members, but an
// administrator who pasted a private JWK deserves to be told so plainly, before the schema's
// generic "unrecognized key" — and told that the key, having travelled, must be replaced.
import { ValidationError } from '@nrm/service-kit';
import type { FieldIssue } from '@nrm/service-kit';
import type { FastifyRequest } from 'fastify';

/** RFC 7518 §6: the members that hold private key material (RSA, EC/OKP, symmetric). */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'] as const;

export function privateKeyIssues(body: unknown): FieldIssue[] {
  const keys = (body as { keys?: { keys?: unknown } } | null | undefined)?.keys?.keys;
  if (!Array.isArray(keys)) return [];
  return keys.flatMap((key: unknown, index) =>
    typeof key === 'object' && key !== null
      ? PRIVATE_MEMBERS.filter((member) => member in key).map((member) => ({
          field: `body.keys.keys.${index}.${member}`,
          message: 'is private key material: a desk registers only its public keys; a private key sent anywhere must be replaced',
        }))
      : [],
  );
}

/** preValidation: refuses a body whose key set holds a private member, naming each. */
export async function refusePrivateKeys(request: FastifyRequest): Promise<void> {
  const issues = privateKeyIssues(request.body);
  if (issues.length > 0) throw new ValidationError(`the key set holds private key material (${issues.map((issue) => issue.field).join(', ')})`, issues);
}
