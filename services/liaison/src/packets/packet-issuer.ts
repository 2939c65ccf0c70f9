// Turns each stage of an outgoing handover (rescue.HandoverPlanned / Scheduled / Completed) into
// one signed packet per desk that serves the destination country and gate, stores it at the end
// of that desk's feed, and records HandoverPacketIssued in the handover's liaison stream.
//
// Redelivery builds nothing twice: the packet id derives from the source event and the desk, a
// stored packet is kept as sent, and the event is appended from what was stored (its id derives
// from the same inputs, so the store keeps one copy). A crash between the two steps is finished
// by the redelivery.
import { canonicalize, deriveId, sha256Hex } from '@nrm/contracts';
import type { EventRegistry, HandoverPacketIssued, HandoverStage, ProfiledPerson, RecordedEvent } from '@nrm/contracts';
import type { EventStore } from '@nrm/eventstore';
import { envelopeEvents } from '@nrm/service-kit';
import type { ServiceSigner } from '@nrm/service-kit';
import { SubjectErasedError } from '@nrm/vault';
import type { Vault } from '@nrm/vault';
import type { Desk, DeskDirectory } from '../desks/desk.ts';
import { handoverSummary } from './handover-summary.ts';
import type { LiaisonBook, StoredPacket } from './liaison-book.ts';
import { PACKET_TYPE, encryptPersonData, encryptionKeyOf } from './packet-crypto.ts';
import { PACKET_VERSION } from './packet.ts';
import type { HandoverPacket, PacketPerson } from './packet.ts';

export const HANDOVER_STAGE_OF: Readonly<Record<string, HandoverStage>> = {
  'rescue.HandoverPlanned': 'planned',
  'rescue.HandoverScheduled': 'scheduled',
  'rescue.HandoverCompleted': 'completed',
};

/**
 * How long a desk has to acknowledge a packet. A plan needs a reply before the date can be
 * agreed; once the persons are at the gate the receiving side must confirm the same day.
 */
export const ACKNOWLEDGE_WITHIN_HOURS: Readonly<Record<HandoverStage, number>> = { planned: 72, scheduled: 48, completed: 24 };

/** The id of the HandoverPacketIssued event of a packet: the first event its command (the packet id) records. */
export function issuedEventId(packetId: string): string {
  return deriveId(packetId, '0:liaison.HandoverPacketIssued');
}

export function handoverStream(handoverId: string): string {
  return `liaison-handover-${handoverId}`;
}

type HandoverFacts = {
  handoverId: string;
  toCountry: string;
  borderGate?: string;
  persons: ProfiledPerson[];
  needs: string[];
  date: string;
  counterpartReference?: string;
  receivedBy?: string;
};

export type PacketIssuerDependencies = {
  store: EventStore;
  registry: EventRegistry;
  vault: Vault;
  book: LiaisonBook;
  desks: DeskDirectory;
  signer: ServiceSigner;
  now?: () => Date;
  /** A handover no registered desk serves: the standing office must arrange it by other means. */
  onNoDesk?: (event: RecordedEvent, country: string, gate: string | undefined) => void;
  onIssued?: (packet: StoredPacket) => void;
};

type PersonOutcome = { entry: PacketPerson; shared?: HandoverPacketIssued['shared'][number]; withheld?: HandoverPacketIssued['withheld'][number] };

export function createPacketIssuer(dependencies: PacketIssuerDependencies) {
  const { store, registry, vault, book, desks, signer } = dependencies;
  const now = dependencies.now ?? (() => new Date());

  /** A person's entry: the countable profile always; personal fields only with consent, within the desk's profile, while not erased. */
  async function personEntry(person: ProfiledPerson, desk: Desk, packetId: string): Promise<PersonOutcome> {
    const { personId, sex, ageGroup, child, nationality } = person;
    const profile = { personId, sex, ageGroup, child, nationality };
    const withhold = (reason: HandoverPacketIssued['withheld'][number]['reason']): PersonOutcome => ({ entry: { ...profile, withheld: reason }, withheld: { personId, reason } });
    if (await vault.isErased(personId)) return withhold('erased');
    const consent = await book.consentToHandover(personId);
    if (consent !== 'given') return withhold(consent === 'withdrawn' ? 'consent-withdrawn' : 'no-consent');
    const available = await book.personFields(personId);
    if (Object.keys(available).length === 0) return withhold('no-personal-data');
    const names = desk.fieldProfile.filter((name) => available[name] !== undefined);
    if (names.length === 0) return withhold('outside-field-profile');
    const fields: Record<string, string | number | boolean | null> = {};
    try {
      for (const name of names) {
        const value = await vault.open(available[name]!.envelope, {
          field: name,
          reader: { actor: 'liaison-packet-builder', agency: 'liaison' },
          purpose: `handover packet ${packetId} to desk ${desk.deskId}, within the person's consent to the handover`,
          subject: personId,
        });
        fields[name] = value as string;
      }
    } catch (error) {
      if (error instanceof SubjectErasedError) return withhold('erased');
      throw error;
    }
    const personalData = await encryptPersonData({ packetId, personId, fields }, encryptionKeyOf(desk.keys));
    return { entry: { ...profile, personalData }, shared: { personId, fields: names } };
  }

  async function buildAndStore(event: RecordedEvent, stage: HandoverStage, desk: Desk, packetId: string): Promise<StoredPacket> {
    const facts = event.data as HandoverFacts;
    const issuedAt = now();
    const acknowledgeBy = new Date(issuedAt.getTime() + ACKNOWLEDGE_WITHIN_HOURS[stage] * 3_600_000).toISOString();
    const outcomes: PersonOutcome[] = [];
    for (const person of facts.persons) outcomes.push(await personEntry(person, desk, packetId));
    const childCount = facts.persons.filter((person) => person.child).length;
    const packet: HandoverPacket = {
      v: PACKET_VERSION,
      packetId,
      deskId: desk.deskId,
      country: desk.country,
      caseId: event.caseId,
      handoverId: facts.handoverId,
      stage,
      issuedAt: issuedAt.toISOString(),
      acknowledgeBy,
      handover: {
        date: facts.date,
        ...(facts.borderGate ? { borderGate: facts.borderGate as never } : {}),
        personCount: facts.persons.length,
        childCount,
        needs: facts.needs as never,
        ...(facts.counterpartReference ? { counterpartReference: facts.counterpartReference } : {}),
        ...(facts.receivedBy ? { receivedBy: facts.receivedBy } : {}),
      },
      summary: handoverSummary(desk.language, { stage, toCountry: facts.toCountry, ...(facts.borderGate ? { borderGate: facts.borderGate } : {}), date: facts.date, personCount: facts.persons.length, childCount, needs: facts.needs }),
      persons: outcomes.map((outcome) => outcome.entry),
      source: { eventId: event.id, type: event.type },
    };
    const jws = await signer.sign(canonicalize(packet), PACKET_TYPE);
    const shared = outcomes.flatMap((outcome) => (outcome.shared ? [outcome.shared] : []));
    const issued: HandoverPacketIssued = {
      packetId,
      deskId: desk.deskId,
      handoverId: facts.handoverId,
      stage,
      sourceEventId: event.id,
      packetSha256: sha256Hex(jws),
      signingKid: signer.kid,
      ...(shared.length > 0 ? { encryptionKid: encryptionKeyOf(desk.keys).kid } : {}),
      personCount: facts.persons.length,
      shared,
      withheld: outcomes.flatMap((outcome) => (outcome.withheld ? [outcome.withheld] : [])),
      acknowledgeBy,
    };
    return book.savePacket({ packetId, deskId: desk.deskId, country: desk.country, caseId: event.caseId, handoverId: facts.handoverId, stage, issuedAt: packet.issuedAt, acknowledgeBy, jws, issued });
  }

  async function record(event: RecordedEvent, packet: StoredPacket): Promise<void> {
    const metadata = { commandId: packet.packetId, now: packet.issuedAt, actor: 'liaison', agency: 'liaison' as const, caseId: event.caseId, causationId: event.id, traceparent: event.traceparent };
    await store.append(handoverStream(packet.handoverId), envelopeEvents([{ type: 'liaison.HandoverPacketIssued', data: packet.issued }], metadata, registry));
  }

  return {
    /** Issues (or finishes issuing) the packets of one handover event; other events pass by. */
    async issueFor(event: RecordedEvent): Promise<StoredPacket[]> {
      const stage = HANDOVER_STAGE_OF[event.type];
      if (!stage) return [];
      const facts = event.data as HandoverFacts;
      const receivers = await desks.forHandover(facts.toCountry, facts.borderGate);
      if (receivers.length === 0) dependencies.onNoDesk?.(event, facts.toCountry, facts.borderGate);
      const issued: StoredPacket[] = [];
      for (const desk of receivers) {
        const packetId = deriveId(event.id, `packet:${desk.deskId}`);
        const packet = (await book.packet(packetId)) ?? (await buildAndStore(event, stage, desk, packetId));
        await record(event, packet);
        dependencies.onIssued?.(packet);
        issued.push(packet);
      }
      return issued;
    },
  };
}

export type PacketIssuer = ReturnType<typeof createPacketIssuer>;
