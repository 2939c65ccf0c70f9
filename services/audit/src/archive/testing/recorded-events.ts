// Recorded envelopes for the archive's tests, hashed as a store would record them: each stream
// (one per case) chains from the genesis hash, each call gives fresh ids.
import { GENESIS_HASH, hashEvent, newId } from '@nrm/contracts';
import type { HashedEvent, RecordedEvent } from '@nrm/contracts';

export type RecordedEventSource = { event(overrides?: { caseId?: string | null; data?: Record<string, unknown> }): RecordedEvent };

/** Hands out recorded events with positions in the order asked, as one agency's store would. */
export function recordedEventSource(): RecordedEventSource {
  let position = 0;
  const heads = new Map<string, { revision: number; hash: string }>();
  return {
    event(overrides = {}) {
      const caseId = overrides.caseId === undefined ? newId() : overrides.caseId;
      const stream = `intake-${caseId ?? 'no-case'}`;
      const head = heads.get(stream);
      const hashed: HashedEvent = {
        id: newId(),
        type: 'intake.TipReceived',
        schemaVersion: 1,
        occurredAt: new Date().toISOString(),
        agency: 'intake',
        actor: 'archive-conformance',
        caseId,
        causationId: null,
        traceparent: null,
        data: overrides.data ?? { note: 'archived' },
        stream,
        revision: head ? head.revision + 1 : 0,
        recordedAt: new Date().toISOString(),
        prevHash: head?.hash ?? GENESIS_HASH,
      };
      const hash = hashEvent(hashed);
      heads.set(stream, { revision: hashed.revision, hash });
      return { ...hashed, position: position++, hash };
    },
  };
}
