// The deadline watch on a real SQLite log: a packet past its deadline is marked overdue once
// (a second tick, a restart and a second process all find it done), and leaves the standing
// office's list when the desk answers, even late.
import { afterEach, describe, expect, it } from 'vitest';
import { eventRegistry, newId } from '@nrm/contracts';
import type { NewEvent } from '@nrm/contracts';
import { examplePayloads } from '@nrm/contracts/testing';
import { createSqliteEventStore } from '@nrm/eventstore';
import { handoverStream } from '../packets/packet-issuer.ts';
import { startOverdueWatch } from './overdue-watch.ts';
import type { OverdueWatch } from './overdue-watch.ts';

const store = createSqliteEventStore({ path: ':memory:' });
const watches: OverdueWatch[] = [];
afterEach(async () => {
  for (const watch of watches.splice(0)) await watch.stop();
});

const caseId = newId();
const handoverId = newId();
const packetId = newId();

function event(type: string, data: Record<string, unknown>): NewEvent {
  return { id: newId(), type, schemaVersion: 1, occurredAt: new Date().toISOString(), agency: 'liaison', actor: 'test', caseId, causationId: null, traceparent: null, data };
}

async function settled(what: string, check: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 20));
  expect(check(), what).toBe(true);
}

describe('overdue watch', () => {
  it('marks an unanswered packet overdue exactly once, lists it, and drops it when the desk answers', async () => {
    const issued: Record<string, unknown> = { ...(examplePayloads['liaison.HandoverPacketIssued'] as Record<string, unknown>), packetId, handoverId, acknowledgeBy: '2026-11-20T10:00:00.000Z' };
    await store.append(handoverStream(handoverId), [event('liaison.HandoverPacketIssued', issued)]);
    // The clock stands before the deadline, so only the explicit ticks below can fire it.
    const beforeDeadline = () => new Date('2026-11-20T09:00:00.000Z');
    const watch = startOverdueWatch(store, eventRegistry, { clock: beforeDeadline });
    watches.push(watch);
    await settled('the watch learns the open packet', () => watch.pending() === 1);

    expect(await watch.tick(new Date('2026-11-20T09:59:59.000Z'))).toBe(0);
    expect(await watch.tick(new Date('2026-11-20T10:00:01.000Z'))).toBe(1);
    expect(await watch.tick(new Date('2026-11-20T11:00:00.000Z'))).toBe(0);
    expect(watch.overdue().map((packet) => packet.packetId)).toEqual([packetId]);

    // Another process (or a restart) learns the overdue mark from the log and fires nothing again.
    const again = startOverdueWatch(store, eventRegistry, { clock: beforeDeadline });
    watches.push(again);
    await settled('a second watch learns the overdue mark', () => again.overdue().length === 1);
    expect(await again.tick(new Date('2026-11-21T00:00:00.000Z'))).toBe(0);
    const marks = (await store.readStream(handoverStream(handoverId))).filter((recorded) => recorded.type === 'liaison.HandoverAcknowledgementOverdue');
    expect(marks.map((mark) => mark.data)).toEqual([{ packetId, deskId: issued.deskId, handoverId, acknowledgeBy: '2026-11-20T10:00:00.000Z' }]);
    expect(marks[0]!.caseId).toBe(caseId);

    const { personId: _person, ...received } = examplePayloads['liaison.HandoverAcknowledged'] as Record<string, unknown>;
    const ack = { ...received, packetId, handoverId, kind: 'received' };
    expect(eventRegistry.check('liaison.HandoverAcknowledged', 1, ack).ok).toBe(true);
    await store.append(handoverStream(handoverId), [event('liaison.HandoverAcknowledged', ack)]);
    await settled('both drop it once answered', () => watch.overdue().length === 0 && again.overdue().length === 0);
  });
});
