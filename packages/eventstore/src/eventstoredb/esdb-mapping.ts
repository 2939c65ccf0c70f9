// The one place that knows the EventStoreDB client's vocabulary: expected revisions, errors,
// positions and event shapes. A client upgrade (KurrentDB renamed `expectedRevision` to
// `streamState`) touches this file only.
import { ANY, NO_STREAM, STREAM_EXISTS, WrongExpectedVersionError, jsonEvent } from '@eventstore/db-client';
import type { AllStreamResolvedEvent, AppendExpectedRevision, EventData, ResolvedEvent } from '@eventstore/db-client';
import { canonicalize } from '@nrm/contracts';
import type { HashedEvent, RecordedEvent } from '@nrm/contracts';
import { WrongExpectedRevisionError } from '../errors.ts';
import type { ExpectedRevision } from '../port.ts';
import { ulidToUuid } from './ulid-uuid.ts';

export const CHECKPOINT_STREAM_PREFIX = 'nrm-checkpoint-';
export const CHECKPOINT_EVENT_TYPE = 'nrm.Checkpoint';

export function toEsdbExpectedRevision(expected: ExpectedRevision): AppendExpectedRevision {
  if (expected === 'any') return ANY;
  if (expected === 'no_stream') return NO_STREAM;
  if (expected === 'stream_exists') return STREAM_EXISTS;
  return BigInt(expected);
}

export function fromEsdbError(error: unknown, stream: string, expected: ExpectedRevision): unknown {
  if (error instanceof WrongExpectedVersionError) {
    const actual = typeof error.actualVersion === 'bigint' ? Number(error.actualVersion) : 'no_stream';
    return new WrongExpectedRevisionError(stream, expected, actual);
  }
  return error;
}

/** Our envelope as an EventStoreDB event: data is the hashed form, the hash rides in metadata. */
export function toEsdbEvent(event: HashedEvent, hash: string): EventData {
  return jsonEvent({ id: ulidToUuid(event.id), type: event.type, data: event as unknown as Record<string, unknown>, metadata: { hash } });
}

/** The position we expose: the event's prepare position, unique per event and in log order. */
export function positionOf(resolved: ResolvedEvent | AllStreamResolvedEvent): number {
  const position = resolved.event?.position;
  return position ? Number(position.prepare) : -1;
}

/** Our events only: no system events, no checkpoint records. */
export function isBackboneEvent(resolved: ResolvedEvent | AllStreamResolvedEvent): boolean {
  const event = resolved.event;
  return event !== undefined && !event.type.startsWith('$') && event.type !== CHECKPOINT_EVENT_TYPE && !event.streamId.startsWith(CHECKPOINT_STREAM_PREFIX) && !event.streamId.startsWith('$');
}

export function toRecordedEvent(resolved: ResolvedEvent | AllStreamResolvedEvent): { event: RecordedEvent; hashedText: string } {
  const stored = resolved.event!;
  const data = stored.data as unknown as HashedEvent;
  const metadata = stored.metadata as { hash?: string } | undefined;
  const hashedText = canonicalize(data);
  return { event: { ...data, position: positionOf(resolved), hash: metadata?.hash ?? '' }, hashedText };
}
