// HTTP carries a stream's revision in ETag and If-Match (STYLE.md): a client that writes with
// the revision it read gets a 412 when someone wrote in between, instead of overwriting blind.
import type { FastifyRequest } from 'fastify';
import { ValidationError } from './errors.ts';

export function etagOf(revision: number): string {
  return `"${revision}"`;
}

/**
 * The revision the client last saw, from If-Match; undefined when it sent none. `*` also gives
 * undefined: it only asks that the resource exist, which the route checks itself.
 */
export function ifMatchRevision(request: FastifyRequest): number | undefined {
  const header = request.headers['if-match'];
  if (header === undefined || header.trim() === '*') return undefined;
  const match = /^\s*"(0|[1-9][0-9]{0,15})"\s*$/.exec(header);
  if (!match?.[1]) {
    throw new ValidationError('If-Match must be one strong ETag such as "3"', [{ field: 'headers.if-match', message: 'must be one strong ETag such as "3"' }]);
  }
  return Number(match[1]);
}
