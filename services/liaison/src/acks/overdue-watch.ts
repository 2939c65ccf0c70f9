// Acknowledgement deadlines, learned from the liaison's own log: a packet issued opens one, any
// acknowledgement of it closes it, and when the deadline passes first the watch records
// HandoverAcknowledgementOverdue (its id derives from the packet: exactly once, across restarts
// and processes). Overdue packets stay on the standing office's list until the desk answers.
import { deriveId } from '@nrm/contracts';
import type { EventRegistry, HandoverPacketIssued, RecordedEvent } from '@nrm/contracts';
import type { EventStore } from '@nrm/eventstore';
import { envelopeEvents, startDeadlineLoop } from '@nrm/service-kit';
import { handoverStream } from '../packets/packet-issuer.ts';

export type OpenPacket = { packetId: string; deskId: string; handoverId: string; caseId: string | null; stage: string; acknowledgeBy: string; issuedEventId: string };

export type OverdueWatch = {
  /** Packets past their deadline and still unanswered, oldest deadline first. */
  overdue(): OpenPacket[];
  /** Packets waiting for an answer within their deadline. */
  pending(): number;
  /** Records every deadline passed by `now`; resolves with how many. */
  tick(now?: Date): Promise<number>;
  stop(): Promise<void>;
};

const WATCHED = ['liaison.HandoverPacketIssued', 'liaison.HandoverAcknowledged', 'liaison.HandoverAcknowledgementOverdue'];

export function startOverdueWatch(store: EventStore, registry: EventRegistry, options: { clock?: () => Date; maxSleepMs?: number; onError?: (error: unknown) => void } = {}): OverdueWatch {
  const open = new Map<string, OpenPacket>();
  const late = new Map<string, OpenPacket>();

  function learn(event: RecordedEvent): void {
    const packetId = (event.data as { packetId: string }).packetId;
    if (event.type === 'liaison.HandoverPacketIssued') {
      const data = event.data as HandoverPacketIssued;
      if (!late.has(packetId)) open.set(packetId, { packetId, deskId: data.deskId, handoverId: data.handoverId, caseId: event.caseId, stage: data.stage, acknowledgeBy: data.acknowledgeBy, issuedEventId: event.id });
    } else if (event.type === 'liaison.HandoverAcknowledged') {
      open.delete(packetId);
      late.delete(packetId);
    } else {
      const packet = open.get(packetId);
      open.delete(packetId);
      if (packet) late.set(packetId, packet);
    }
  }

  async function fireDue(now: Date): Promise<number> {
    let fired = 0;
    for (const packet of [...open.values()]) {
      if (Date.parse(packet.acknowledgeBy) > now.getTime()) continue;
      const metadata = { commandId: deriveId(packet.packetId, 'overdue'), now: now.toISOString(), actor: 'liaison-scheduler', agency: 'liaison' as const, caseId: packet.caseId, causationId: packet.issuedEventId, traceparent: null };
      const data = { packetId: packet.packetId, deskId: packet.deskId, handoverId: packet.handoverId, acknowledgeBy: packet.acknowledgeBy };
      await store.append(handoverStream(packet.handoverId), envelopeEvents([{ type: 'liaison.HandoverAcknowledgementOverdue', data }], metadata, registry));
      // Learned here too, not only from the log, so a tick right after this one does not fire it again.
      open.delete(packet.packetId);
      late.set(packet.packetId, packet);
      fired++;
    }
    return fired;
  }

  const loop = startDeadlineLoop({
    ...options,
    store,
    filter: { types: WATCHED },
    learn,
    earliest: () => Math.min(...[...open.values()].map((packet) => Date.parse(packet.acknowledgeBy))),
    fireDue,
  });
  return {
    overdue: () => [...late.values()].sort((a, b) => a.acknowledgeBy.localeCompare(b.acknowledgeBy)),
    pending: () => open.size,
    tick: (now) => loop.tick(now),
    stop: () => loop.stop(),
  };
}
