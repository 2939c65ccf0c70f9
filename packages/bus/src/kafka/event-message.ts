// How a recorded event travels on Kafka: the whole envelope as JSON (any Kafka client can read
// it; the hash lets a consumer check it), keyed by caseId so one case stays in order on one
// partition, with the envelope's metadata and W3C traceparent also as headers.
import type { Message } from 'kafkajs';
import { RecordedEventSchema } from '@nrm/contracts';
import type { RecordedEvent } from '@nrm/contracts';

export function toMessage(event: RecordedEvent): Message {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'nrm-event-id': event.id,
    'nrm-event-type': event.type,
    'nrm-schema-version': String(event.schemaVersion),
    'nrm-agency': event.agency,
    'nrm-stream': event.stream,
  };
  if (event.caseId) headers['nrm-case-id'] = event.caseId;
  if (event.causationId) headers['nrm-causation-id'] = event.causationId;
  if (event.traceparent) headers.traceparent = event.traceparent;
  return { key: event.caseId ?? event.stream, value: JSON.stringify(event), headers };
}

export type DecodedMessage = { ok: true; event: RecordedEvent } | { ok: false; reason: string };

/** Reads an event back; anything that is not a valid recorded envelope is reported, never thrown. */
export function fromMessage(value: Buffer | null): DecodedMessage {
  if (!value) return { ok: false, reason: 'empty message' };
  let json: unknown;
  try {
    json = JSON.parse(value.toString('utf8'));
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
  const parsed = RecordedEventSchema.safeParse(json);
  if (!parsed.success) return { ok: false, reason: `not a recorded event: ${parsed.error.issues[0]?.message ?? 'invalid'}` };
  return { ok: true, event: parsed.data };
}
