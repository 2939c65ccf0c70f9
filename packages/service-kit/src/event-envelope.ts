// Wraps decided domain events in the envelope the store records. The ids derive from the
// command id and the event's place in the decision, so a retried or redelivered command
// proposes exactly the same events.
import { deriveId } from '@nrm/contracts';
import type { EventRegistry, NewEvent } from '@nrm/contracts';
import type { CommandMetadata, DomainEvent } from './decider.ts';

/** A decider emitted an event the registry refuses: a bug in the decider, never the caller's fault. */
export class InvalidDecidedEventError extends Error {
  override readonly name = 'InvalidDecidedEventError';
}

export function envelopeEvents(events: readonly DomainEvent[], metadata: CommandMetadata, registry?: EventRegistry): NewEvent[] {
  return events.map((event, index) => {
    let schemaVersion = 1;
    let data = event.data;
    if (registry) {
      const checked = registry.check(event.type, registry.get(event.type)?.version ?? 1, event.data);
      if (!checked.ok) {
        throw new InvalidDecidedEventError(`${event.type}: ${checked.rule}: ${checked.issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`);
      }
      schemaVersion = checked.version;
      data = checked.data;
    }
    return {
      id: deriveId(metadata.commandId, `${index}:${event.type}`),
      type: event.type,
      schemaVersion,
      occurredAt: metadata.now,
      agency: metadata.agency,
      actor: metadata.actor,
      caseId: metadata.caseId,
      causationId: event.causationId ?? metadata.causationId,
      traceparent: metadata.traceparent,
      data,
    };
  });
}
