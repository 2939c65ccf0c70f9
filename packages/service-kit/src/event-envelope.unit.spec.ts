// Envelopes come from the command metadata, ids are deterministic per command, and the
// registry stops a decider from emitting an invalid payload.
import { describe, expect, it } from 'vitest';
import type { CommandMetadata } from './decider.ts';
import { InvalidDecidedEventError, envelopeEvents } from './event-envelope.ts';
import { tallyRegistry } from './testing/tally-decider.ts';

const metadata: CommandMetadata = {
  commandId: '01K4Z3N6Y8C9D0E1F2G3H4J5K6',
  now: '2025-09-01T08:00:00.000Z',
  actor: 'officer-17',
  agency: 'intake',
  caseId: '01K4Z3N6Y8C9D0E1F2G3H4J5K7',
  causationId: '01K4Z3N6Y8C9D0E1F2G3H4J5K8',
  traceparent: null,
};

describe('envelopeEvents', () => {
  const decided = [
    { type: 'intake.TallyAdded', data: { amount: 1 } },
    { type: 'intake.TallyAdded', data: { amount: 2 } },
  ];

  it('gives the same ids for the same command and distinct ids within it', () => {
    const first = envelopeEvents(decided, metadata);
    const again = envelopeEvents(decided, metadata);
    expect(first.map((event) => event.id)).toEqual(again.map((event) => event.id));
    expect(new Set(first.map((event) => event.id)).size).toBe(2);
    expect(envelopeEvents(decided, { ...metadata, commandId: '01K4Z3N6Y8C9D0E1F2G3H4J5K9' })[0]!.id).not.toBe(first[0]!.id);
    expect(first[0]).toMatchObject({ occurredAt: metadata.now, actor: 'officer-17', agency: 'intake', caseId: metadata.caseId, causationId: metadata.causationId, schemaVersion: 1 });
  });

  it('stamps the current schema version from the registry and refuses invalid payloads', () => {
    expect(envelopeEvents(decided, metadata, tallyRegistry)[0]!.schemaVersion).toBe(2);
    expect(() => envelopeEvents([{ type: 'intake.TallyAdded', data: { amount: -1 } }], metadata, tallyRegistry)).toThrow(InvalidDecidedEventError);
    expect(() => envelopeEvents([{ type: 'intake.Unknown', data: {} }], metadata, tallyRegistry)).toThrow(/unknown-event-type/);
  });
});
