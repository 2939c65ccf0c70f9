import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createEmbeddedBus } from '@nrm/bus';
import type { Bus, ConsumeOptions, Consumer } from '@nrm/bus';
import { newId } from '@nrm/contracts';
import type { RecordedEvent } from '@nrm/contracts';
import { createSqliteEventStore } from '@nrm/eventstore';
import { testEvent } from '@nrm/eventstore/testing';
import { ARCHIVE_CONSUMER, startArchiveConsumer } from './archive-consumer.ts';
import type { ArchiveConsumerReports } from './archive-consumer.ts';
import type { ArchiveConflict, ArchiveStore } from './archive-store.ts';
import { createSqliteArchiveStore } from './sqlite/sqlite-archive-store.ts';
import { recordedEventSource } from './testing/recorded-events.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'nrm-archive-consumer-'));
  dirs.push(dir);
  return dir;
}

function recordingReports(): ArchiveConsumerReports & { conflicts: ArchiveConflict[]; refused: string[]; retries: number } {
  const reports = {
    conflicts: [] as ArchiveConflict[],
    refused: [] as string[],
    retries: 0,
    onConflict: (conflict: ArchiveConflict) => void reports.conflicts.push(conflict),
    onRefused: (event: RecordedEvent) => void reports.refused.push(event.id),
    onRetry: () => void reports.retries++,
    onError: () => undefined,
  };
  return reports;
}

/** A bus that delivers a fixed list of events in order, retrying each until handled; `stop` waits for the end of the list. */
function scriptedBus(events: readonly RecordedEvent[]): Bus & { consumers: string[] } {
  const consumers: string[] = [];
  return {
    name: 'scripted',
    consumers,
    consume(options: ConsumeOptions): Consumer {
      consumers.push(options.consumer);
      const done = (async () => {
        for (const event of events) {
          for (let attempt = 1; ; attempt++) {
            try {
              await options.handler(event);
              break;
            } catch (error) {
              options.onRetry?.(event, error, attempt);
              await new Promise((resolve) => setTimeout(resolve, 5));
            }
          }
        }
      })();
      return {
        status: () => ({ consumer: options.consumer, state: 'running', position: -1, handled: 0, retried: 0, deadLettered: 0 }),
        waitForPosition: () => done,
        stop: () => done,
      };
    },
    close: async () => undefined,
  };
}

describe('the archive consumer', () => {
  it("archives every agency's events from another process's log, once, even when all of them are delivered again", async () => {
    const dir = tempDir();
    // The agencies' log, and the audit service's own archive in storage of its own.
    const agencies = createSqliteEventStore({ path: join(dir, 'agencies.db'), durability: 'normal', pollIntervalMs: 20 });
    const archive = createSqliteArchiveStore({ path: join(dir, 'audit.db') });
    const caseId = newId();
    await agencies.append('intake-1', [testEvent({ caseId }), testEvent({ caseId, type: 'intake.TipClassified' })]);
    await agencies.append('rescue-1', [testEvent({ caseId, agency: 'rescue', type: 'rescue.RescueRequested' })]);
    await agencies.append('protection-1', [testEvent({ agency: 'protection', type: 'protection.ShelterAdmitted' })]);
    const logged: RecordedEvent[] = [];
    for await (const event of agencies.readAll()) logged.push(event);

    const reports = recordingReports();
    const bus = createEmbeddedBus(agencies, { checkpointEvery: 1 });
    const consumer = startArchiveConsumer(bus, archive, reports);
    await consumer.waitForPosition(3);
    expect((await archive.read({ from: 0, limit: 10 })).map((archived) => archived.event)).toEqual(logged);
    expect((await archive.caseEvents(caseId)).map((archived) => archived.event.type)).toEqual(['intake.TipReceived', 'intake.TipClassified', 'rescue.RescueRequested']);
    await consumer.stop();

    // A lost checkpoint: the whole log is delivered again.
    agencies.database.prepare('DELETE FROM checkpoints WHERE name = ?').run(`bus:${ARCHIVE_CONSUMER}`);
    const again = startArchiveConsumer(createEmbeddedBus(agencies), archive, reports);
    await again.waitForPosition(3);
    await again.stop();
    expect(await archive.count()).toBe(4);
    expect(reports).toMatchObject({ conflicts: [], refused: [], retries: 0 });
    await archive.close();
    await agencies.close();
  });

  it('keeps the archived copy of an event that arrives altered, and reports it', async () => {
    const archive = createSqliteArchiveStore({ path: ':memory:' });
    const event = recordedEventSource().event();
    const altered = { ...event, data: { note: 'altered on the way' } };
    const reports = recordingReports();
    const bus = scriptedBus([event, altered, event]);
    await startArchiveConsumer(bus, archive, reports).stop();
    expect(bus.consumers).toEqual([ARCHIVE_CONSUMER]);
    expect(reports.conflicts).toEqual([{ id: event.id, sequence: 0, archivedHash: event.hash, receivedHash: event.hash }]);
    expect((await archive.read({ from: 0, limit: 10 })).map((archived) => archived.event)).toEqual([event]);
    await archive.close();
  });

  it('passes over what is not a recorded envelope, and retries through a storage failure without losing the event', async () => {
    const sqlite = createSqliteArchiveStore({ path: ':memory:' });
    let failures = 2;
    const flaky: ArchiveStore = {
      ...sqlite,
      name: sqlite.name,
      async record(events) {
        if (failures-- > 0) throw new Error('disk full');
        return sqlite.record(events);
      },
    };
    const source = recordedEventSource();
    const [first, second] = [source.event(), source.event()];
    const broken = { ...source.event(), hash: 'not a hash' };
    const reports = recordingReports();
    await startArchiveConsumer(scriptedBus([first, broken, second]), flaky, reports).stop();
    expect(reports.retries).toBe(2);
    expect(reports.refused).toEqual([broken.id]);
    expect((await sqlite.read({ from: 0, limit: 10 })).map((archived) => archived.event)).toEqual([first, second]);
    await sqlite.close();
  });
});
