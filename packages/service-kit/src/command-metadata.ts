// Builds a command's metadata at the two places commands come from: an authenticated HTTP
// request, and another agency's event that this service reacts to. The clock is read here, at
// the edge, so deciders never read it.
import { newId } from '@nrm/contracts';
import type { Agency, RecordedEvent } from '@nrm/contracts';
import type { FastifyRequest } from 'fastify';
import { principalOf } from './auth.ts';
import type { CommandMetadata } from './decider.ts';
import { currentTraceparent } from './trace-context.ts';

export function requestCommandMetadata(
  request: FastifyRequest,
  fields: { agency: Agency; caseId: string | null; causationId?: string | null; now?: Date },
): CommandMetadata {
  const now = fields.now ?? new Date();
  return {
    commandId: newId(now.getTime()),
    now: now.toISOString(),
    actor: principalOf(request).subject,
    agency: fields.agency,
    caseId: fields.caseId,
    causationId: fields.causationId ?? null,
    traceparent: request.traceparent,
  };
}

/**
 * A reaction's command takes the source event's id as its own: redelivering the event proposes
 * the same event ids, and the store appends nothing twice. It continues the delivery's trace
 * (the bus runs handlers inside a consumer span), else the source event's.
 */
export function reactionCommandMetadata(source: RecordedEvent, fields: { agency: Agency; actor: string; now: Date }): CommandMetadata {
  return {
    commandId: source.id,
    now: fields.now.toISOString(),
    actor: fields.actor,
    agency: fields.agency,
    caseId: source.caseId,
    causationId: source.id,
    traceparent: currentTraceparent() ?? source.traceparent,
  };
}
