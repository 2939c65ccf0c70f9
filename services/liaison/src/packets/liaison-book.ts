// What the liaison service keeps beside its log, in its read-model store (SQLite or PostgreSQL,
// through the ProjectionStore port): each person's consent to a handover, where each person's
// sealed fields are, and the packets as they were sent — the feed is served from these, in the
// order they were issued to each desk.
//
// Consents and sealed fields come from other agencies' events over the bus (in a distributed
// deployment they are not in the liaison's own store). Packets are not derivable from the log:
// their encryption is randomised, so the packet table is the record of what was sent, and the
// log holds each packet's digest (HandoverPacketIssued).
import { PERSON_FIELDS, SealedFieldSchema } from '@nrm/contracts';
import type { HandoverPacketIssued, JsonValue, RecordedEvent, SealedField } from '@nrm/contracts';
import type { ProjectionStore } from '@nrm/projections';
import { encodeCursor } from '@nrm/projections';

export type ConsentToHandover = 'given' | 'withdrawn' | 'none';

export type SealedPersonField = { eventId: string; envelope: SealedField };

export type StoredPacket = {
  packetId: string;
  deskId: string;
  country: string;
  caseId: string | null;
  handoverId: string;
  stage: string;
  issuedAt: string;
  acknowledgeBy: string;
  /** The packet as sent: a compact JWS. */
  jws: string;
  /** What the log records of it (HandoverPacketIssued), kept so a crash before the append can be finished later. */
  issued: HandoverPacketIssued;
  /** Its place in the desk's feed, from 1. */
  seq: number;
  /** Its place among every desk's packets, from 1: the order they are published to Kafka. */
  globalSeq: number;
};

const CONSENTS = 'liaison.consents';
const PERSON_FIELD_LOCATIONS = 'liaison.person-fields';
const PACKETS = 'liaison.packets';
const COUNTERS = '#counters';
const BY_PACKET_ID = '#by-packet-id';
const ALL = '#all';
const CHECKPOINTS = '#checkpoints';

const pad = (seq: number) => String(seq).padStart(12, '0');
const packetKey = (deskId: string, seq: number) => `${deskId}:${pad(seq)}`;

type ConsentDoc = { byConsent: Record<string, string[]>; everGiven: boolean };
type FieldsDoc = Record<string, SealedPersonField>;

/** Every sealed person field in an event, by the person it is sealed for (`person.fullName`, `persons[2].person.phone`…). */
export function sealedPersonFieldsOf(event: RecordedEvent): Map<string, Record<string, SealedField>> {
  const found = new Map<string, Record<string, SealedField>>();
  const names = new Set<string>(PERSON_FIELDS);
  const walk = (value: unknown, name: string): void => {
    if (Array.isArray(value)) {
      for (const item of value) walk(item, name);
      return;
    }
    if (value === null || typeof value !== 'object') return;
    if ('sealed' in value) {
      const envelope = SealedFieldSchema.safeParse(value);
      if (envelope.success && names.has(name)) {
        const fields = found.get(envelope.data.subject) ?? {};
        fields[name] = envelope.data;
        found.set(envelope.data.subject, fields);
      }
      return;
    }
    for (const [key, child] of Object.entries(value)) walk(child, key);
  };
  walk(event.data, '');
  return found;
}

export function createLiaisonBook(projections: ProjectionStore) {
  return {
    /** protection.ConsentRecorded / ConsentWithdrawn: kept per consent, so a withdrawal of one leaves the others. */
    async applyConsent(event: RecordedEvent): Promise<void> {
      const data = event.data as { personId: string; consentId: string; scopes: string[] };
      await projections.transaction(CONSENTS, (tx) => {
        const doc = (tx.get(data.personId)?.doc as ConsentDoc | undefined) ?? { byConsent: {}, everGiven: false };
        const scopes = new Set(doc.byConsent[data.consentId] ?? []);
        if (event.type === 'protection.ConsentRecorded') for (const scope of data.scopes) scopes.add(scope);
        else for (const scope of data.scopes) scopes.delete(scope);
        doc.byConsent[data.consentId] = [...scopes].sort();
        if (scopes.has('handover')) doc.everGiven = true;
        tx.put(data.personId, doc as unknown as JsonValue, { partition: '', sortKey: data.personId });
      });
    },

    async consentToHandover(personId: string): Promise<ConsentToHandover> {
      const doc = (await projections.get(CONSENTS, personId))?.doc as ConsentDoc | undefined;
      if (!doc) return 'none';
      if (Object.values(doc.byConsent).some((scopes) => scopes.includes('handover'))) return 'given';
      return doc.everGiven ? 'withdrawn' : 'none';
    },

    /** Remembers where each person's sealed fields are; a later event's field replaces an earlier one. */
    async applyPersonFields(event: RecordedEvent): Promise<void> {
      const found = sealedPersonFieldsOf(event);
      if (found.size === 0) return;
      await projections.transaction(PERSON_FIELD_LOCATIONS, (tx) => {
        for (const [personId, fields] of found) {
          const doc = (tx.get(personId)?.doc as FieldsDoc | undefined) ?? {};
          for (const [name, envelope] of Object.entries(fields)) doc[name] = { eventId: event.id, envelope };
          tx.put(personId, doc as unknown as JsonValue, { partition: '', sortKey: personId });
        }
      });
    },

    async personFields(personId: string): Promise<FieldsDoc> {
      return ((await projections.get(PERSON_FIELD_LOCATIONS, personId))?.doc as FieldsDoc | undefined) ?? {};
    },

    /** Stores a packet at the end of its desk's feed; a packet id already stored keeps the first copy, which is returned. */
    async savePacket(packet: Omit<StoredPacket, 'seq' | 'globalSeq'>): Promise<StoredPacket> {
      return projections.transaction(PACKETS, (tx) => {
        const known = tx.get(`${BY_PACKET_ID}:${packet.packetId}`)?.doc as { deskId: string; seq: number } | undefined;
        if (known) return tx.get(packetKey(known.deskId, known.seq))!.doc as unknown as StoredPacket;
        const counterKey = `${COUNTERS}:${packet.deskId}`;
        const seq = ((tx.get(counterKey)?.doc as number | undefined) ?? 0) + 1;
        const globalSeq = ((tx.get(`${COUNTERS}:${ALL}`)?.doc as number | undefined) ?? 0) + 1;
        const stored: StoredPacket = { ...packet, seq, globalSeq };
        tx.put(counterKey, seq, { partition: COUNTERS, sortKey: packet.deskId });
        tx.put(`${COUNTERS}:${ALL}`, globalSeq, { partition: COUNTERS, sortKey: ALL });
        tx.put(`${ALL}:${pad(globalSeq)}`, { deskId: packet.deskId, seq }, { partition: ALL, sortKey: pad(globalSeq) });
        tx.put(`${BY_PACKET_ID}:${packet.packetId}`, { deskId: packet.deskId, seq }, { partition: BY_PACKET_ID, sortKey: packet.packetId });
        tx.put(packetKey(packet.deskId, seq), stored as unknown as JsonValue, { partition: packet.deskId, sortKey: pad(seq) });
        return stored;
      });
    },

    async packet(packetId: string): Promise<StoredPacket | undefined> {
      const known = (await projections.get(PACKETS, `${BY_PACKET_ID}:${packetId}`))?.doc as { deskId: string; seq: number } | undefined;
      if (!known) return undefined;
      return (await projections.get(PACKETS, packetKey(known.deskId, known.seq)))?.doc as unknown as StoredPacket;
    },

    /** Every desk's packets after `afterGlobalSeq`, in the order they were issued. */
    async allAfter(afterGlobalSeq: number, limit: number): Promise<StoredPacket[]> {
      const after = afterGlobalSeq > 0 ? encodeCursor(pad(afterGlobalSeq), `${ALL}:${pad(afterGlobalSeq)}`) : undefined;
      const page = await projections.list(PACKETS, { partition: ALL, limit, ...(after ? { after } : {}) });
      const packets: StoredPacket[] = [];
      for (const item of page.items) {
        const { deskId, seq } = item.doc as { deskId: string; seq: number };
        packets.push((await projections.get(PACKETS, packetKey(deskId, seq)))!.doc as unknown as StoredPacket);
      }
      return packets;
    },

    async loadCheckpoint(name: string): Promise<number> {
      return ((await projections.get(PACKETS, `${CHECKPOINTS}:${name}`))?.doc as number | undefined) ?? 0;
    },

    async saveCheckpoint(name: string, globalSeq: number): Promise<void> {
      await projections.transaction(PACKETS, (tx) => tx.put(`${CHECKPOINTS}:${name}`, globalSeq, { partition: CHECKPOINTS, sortKey: name }));
    },

    /** The desk's packets after `afterSeq` (0 = from the first), in the order they were issued. */
    async feed(deskId: string, afterSeq: number, limit: number): Promise<{ items: StoredPacket[]; more: boolean }> {
      const after = afterSeq > 0 ? encodeCursor(pad(afterSeq), packetKey(deskId, afterSeq)) : undefined;
      const page = await projections.list(PACKETS, { partition: deskId, limit, ...(after ? { after } : {}) });
      return { items: page.items.map((item) => item.doc as unknown as StoredPacket), more: page.nextCursor !== null };
    },
  };
}

export type LiaisonBook = ReturnType<typeof createLiaisonBook>;
