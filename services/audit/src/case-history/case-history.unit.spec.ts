import { describe, expect, it } from 'vitest';
import { newId } from '@nrm/contracts';
import type { Agency, RecordedEvent } from '@nrm/contracts';
import type { ArchivedEvent } from '../archive/archive-store.ts';
import { causalOrder, caseHistory, inclusionProofUrl, knownBy } from './case-history.ts';

const caseId = newId();
const at = (second: number) => new Date(Date.UTC(2026, 10, 23, 9, 0, second)).toISOString();

/** Only the envelope fields the history reads; the rest of a recorded event does not matter here. */
function archived(sequence: number, agency: Agency, name: string, recordedSecond: number, causationId: string | null = null): ArchivedEvent {
  const event = { id: newId(), type: `${agency}.${name}`, agency, caseId, causationId, recordedAt: at(recordedSecond) } as RecordedEvent;
  return { sequence, archivedAt: at(recordedSecond + 1), envelope: JSON.stringify(event), event };
}

// A referral from intake to identification, whose clock runs two seconds behind intake's: the
// receiver's ReferralReceived carries an earlier recordedAt than the ReferralIssued it cites.
const tip = archived(0, 'intake', 'TipReceived', 10);
const issued = archived(1, 'intake', 'ReferralIssued', 20, tip.event.id);
const received = archived(3, 'identification', 'ReferralReceived', 18, issued.event.id);
const classified = archived(2, 'intake', 'TipClassified', 22, tip.event.id);
const accepted = archived(4, 'identification', 'ReferralAccepted', 25, issued.event.id);
const identified = archived(5, 'identification', 'VictimIdentified', 30, accepted.event.id);
const handover = archived(6, 'rescue', 'ReturnFromAbroadReceived', 30, newId());
const caseEvents = [tip, issued, classified, received, accepted, identified, handover];
const names = (events: readonly ArchivedEvent[]) => events.map(({ event }) => event.type);

describe('causal order', () => {
  it('puts every cause before its effects, else earliest recorded first, then archive order', () => {
    expect(names(causalOrder([...caseEvents].reverse()))).toEqual([
      'intake.TipReceived',
      'intake.ReferralIssued',
      'identification.ReferralReceived',
      'intake.TipClassified',
      'identification.ReferralAccepted',
      'identification.VictimIdentified',
      'rescue.ReturnFromAbroadReceived',
    ]);
  });

  it('breaks a tie in recordedAt by archive sequence', () => {
    const first = archived(8, 'rescue', 'RescueMissionPlanned', 40);
    const second = archived(9, 'protection', 'ShelterPlaceOffered', 40);
    expect(causalOrder([second, first])).toEqual([first, second]);
  });

  it('keeps events of a (corrupt) causation cycle rather than dropping them', () => {
    const a = archived(0, 'intake', 'TipReceived', 1);
    const b = archived(1, 'intake', 'TipClassified', 2, a.event.id);
    (a.event as { causationId: string }).causationId = b.event.id;
    expect(causalOrder([b, a])).toEqual([a, b]);
  });
});

describe('case history', () => {
  it('draws the referral chain: one edge per cause in the case, none to a cause outside it', () => {
    const { events, graph } = caseHistory(caseEvents);
    expect(events).toHaveLength(7);
    expect(graph.nodes.map(({ type }) => type)).toEqual(names(events));
    expect(graph.nodes[0]).toEqual({ id: tip.event.id, type: 'intake.TipReceived', agency: 'intake', recordedAt: at(10) });
    expect(graph.edges).toEqual([
      { from: tip.event.id, to: issued.event.id },
      { from: issued.event.id, to: received.event.id },
      { from: tip.event.id, to: classified.event.id },
      { from: issued.event.id, to: accepted.event.id },
      { from: accepted.event.id, to: identified.event.id },
    ]);
    expect(inclusionProofUrl(tip.event.id)).toBe(`/v1/audit/log/proofs/inclusion?eventId=${tip.event.id}`);
  });

  it('asOf: only what was recorded at or before that moment, and only edges between those', () => {
    const { events, graph } = caseHistory(caseEvents, { asOf: Date.parse(at(20)) });
    expect(names(events)).toEqual(['intake.TipReceived', 'intake.ReferralIssued', 'identification.ReferralReceived']);
    expect(graph.edges).toEqual([
      { from: tip.event.id, to: issued.event.id },
      { from: issued.event.id, to: received.event.id },
    ]);
    expect(caseHistory(caseEvents, { asOf: Date.parse(at(9)) }).events).toEqual([]);
  });

  it('asKnownBy: the agency’s own events and the other agencies’ events its own cite, nothing further', () => {
    expect(names(knownBy(caseEvents, 'identification'))).toEqual(['intake.ReferralIssued', 'identification.ReferralReceived', 'identification.ReferralAccepted', 'identification.VictimIdentified']);
    expect(names(caseHistory(caseEvents, { asKnownBy: 'intake' }).events)).toEqual(['intake.TipReceived', 'intake.ReferralIssued', 'intake.TipClassified']);
    expect(caseHistory(caseEvents, { asKnownBy: 'reintegration' }).events).toEqual([]);
  });

  it('asKnownBy with asOf: the chain as that agency saw it then', () => {
    const { events, graph } = caseHistory(caseEvents, { asKnownBy: 'identification', asOf: Date.parse(at(20)) });
    expect(names(events)).toEqual(['intake.ReferralIssued', 'identification.ReferralReceived']);
    expect(graph.edges).toEqual([{ from: issued.event.id, to: received.event.id }]);
  });
});
