// What a command request carries besides its body, read the same way by every route: the
// client's Idempotency-Key, the time the body says things happened, and the ids the command
// allocates (derived from the key, so that a replayed request names the ids first written).
import { UlidSchema, deriveId, newId } from '@nrm/contracts';
import { DomainRuleError, ValidationError } from '@nrm/service-kit';
import type { FastifyRequest } from 'fastify';

/** How far ahead of the server's clock a reported time may be before it is refused. */
export const CLOCK_SKEW_MS = 5 * 60_000;

/**
 * The client's Idempotency-Key (a ULID), if any: the command takes it as its id, so sending the
 * same request again — after a timeout or a crash — returns the first result and writes nothing.
 */
export function idempotencyKeyOf(request: FastifyRequest): string | undefined {
  const header = request.headers['idempotency-key'];
  if (header === undefined) return undefined;
  if (typeof header !== 'string' || !UlidSchema.safeParse(header).success) {
    throw new ValidationError('Idempotency-Key must be a ULID', [{ field: 'headers.idempotency-key', message: 'must be a ULID (26 Crockford base32 characters)' }]);
  }
  return header;
}

/** The `occurredAt` a body reports, if any; a time in the future is refused, not recorded. */
export function occurredAtOf(body: unknown): Date | undefined {
  const text = (body as { occurredAt?: unknown } | undefined)?.occurredAt;
  if (typeof text !== 'string') return undefined;
  const at = new Date(text);
  if (at.getTime() > Date.now() + CLOCK_SKEW_MS) throw new DomainRuleError('occurred-in-future', `occurredAt ${text} is in the future`);
  return at;
}

/**
 * Makes the new ids of one command, one per purpose (`person`, `person:0`, `handover`): derived
 * from the command's own id when it is the client's (an Idempotency-Key, a fact's id), so doing
 * it again allocates the same ids; fresh otherwise.
 */
export function idAllocator(commandKey: string | undefined): (purpose: string) => string {
  return (purpose) => (commandKey ? deriveId(commandKey, purpose) : newId());
}
