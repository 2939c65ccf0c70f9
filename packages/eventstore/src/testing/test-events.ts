// Valid events for tests of stores and their users: each call gives a fresh id, so appends
// are distinct unless a test reuses an event on purpose.
import { newId } from '@nrm/contracts';
import type { NewEvent } from '@nrm/contracts';

export function testEvent(overrides: Partial<NewEvent> = {}): NewEvent {
  return {
    id: newId(),
    type: 'intake.TipReceived',
    schemaVersion: 1,
    occurredAt: new Date().toISOString(),
    agency: 'intake',
    actor: 'conformance-suite',
    caseId: null,
    causationId: null,
    traceparent: null,
    data: { note: 'test' },
    ...overrides,
  };
}

export function testEvents(count: number, overrides: Partial<NewEvent> = {}): NewEvent[] {
  return Array.from({ length: count }, () => testEvent(overrides));
}
