// The one conformance suite of the ArchiveStore port. Every adapter runs it against real storage
// (sqlite on a file, postgres in a schema of its own), so "each event once, at a dense 0-based
// sequence, byte for byte as it arrived" is proven on each, concurrent writers included.
import { describe, expect, it } from 'vitest';
import { canonicalize, hashEvent, newId } from '@nrm/contracts';
import type { RecordedEvent } from '@nrm/contracts';
import { ArchiveClosedError, InvalidArchiveRequestError } from '../archive-store.ts';
import type { ArchiveStore } from '../archive-store.ts';
import { recordedEventSource } from './recorded-events.ts';

export type ArchiveFixture = {
  archive: ArchiveStore;
  /** Opens another archive on the same storage, as a restarted or second process would. */
  reopen(): Promise<ArchiveStore>;
  /** Closes whatever the fixture opened and removes the storage. */
  cleanup(): Promise<void>;
};

const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

async function everything(archive: ArchiveStore): Promise<RecordedEvent[]> {
  return (await archive.read({ from: 0, limit: 10_000 })).map((archived) => archived.event);
}

export function describeArchiveConformance(name: string, open: () => Promise<ArchiveFixture>): void {
  describe(`ArchiveStore conformance: ${name}`, () => {
    async function withArchive<T>(body: (fixture: ArchiveFixture) => Promise<T>): Promise<T> {
      const fixture = await open();
      try {
        return await body(fixture);
      } finally {
        await fixture.cleanup();
      }
    }

    it('starts empty', () =>
      withArchive(async ({ archive }) => {
        expect(await archive.count()).toBe(0);
        expect(await archive.read({ from: 0, limit: 10 })).toEqual([]);
        expect(await archive.caseEvents(newId())).toEqual([]);
        expect(await archive.record([])).toEqual({ added: 0, conflicts: [] });
      }));

    it('archives events at dense 0-based sequences, keeping the canonical envelope they arrived as', () =>
      withArchive(async ({ archive }) => {
        const source = recordedEventSource();
        const first = [source.event(), source.event({ caseId: null, data: { b: 'ü', a: [1, 2.5, { z: null, y: true }] } })];
        const second = [source.event()];
        expect(await archive.record(first)).toEqual({ added: 2, conflicts: [] });
        expect(await archive.record(second)).toEqual({ added: 1, conflicts: [] });
        const archived = await archive.read({ from: 0, limit: 10 });
        expect(archived.map((entry) => entry.sequence)).toEqual([0, 1, 2]);
        expect(archived.map((entry) => entry.event)).toEqual([...first, ...second]);
        for (const [index, entry] of archived.entries()) {
          expect(entry.envelope).toBe(canonicalize([...first, ...second][index]));
          expect(entry.archivedAt).toMatch(ISO_MS);
        }
        expect(await archive.count()).toBe(3);
      }));

    it('skips events already archived, so redelivery duplicates nothing', () =>
      withArchive(async ({ archive }) => {
        const source = recordedEventSource();
        const events = [source.event(), source.event(), source.event()];
        await archive.record(events.slice(0, 2));
        const fresh = source.event();
        expect(await archive.record([events[1]!, events[2]!, events[0]!, fresh])).toEqual({ added: 2, conflicts: [] });
        expect(await archive.record(events)).toEqual({ added: 0, conflicts: [] });
        const again = structuredClone(events[2]!);
        expect(await archive.record([again, again])).toEqual({ added: 0, conflicts: [] });
        expect(await everything(archive)).toEqual([events[0], events[1], events[2], fresh]);
        expect((await archive.read({ from: 0, limit: 10 })).map((entry) => entry.sequence)).toEqual([0, 1, 2, 3]);
      }));

    it('archives an event repeated within one batch once', () =>
      withArchive(async ({ archive }) => {
        const source = recordedEventSource();
        const [a, b] = [source.event(), source.event()];
        expect(await archive.record([a, b, a, b])).toEqual({ added: 2, conflicts: [] });
        expect(await everything(archive)).toEqual([a, b]);
      }));

    it('never overwrites an archived event that arrives again altered, and reports it', () =>
      withArchive(async ({ archive }) => {
        const source = recordedEventSource();
        const original = source.event();
        await archive.record([original]);
        const rewritten = { ...original, data: { note: 'rewritten' } };
        const rehashed = { ...rewritten, hash: hashEvent(rewritten) };
        const fresh = source.event();
        expect(await archive.record([rehashed, fresh, rewritten])).toEqual({
          added: 1,
          conflicts: [
            { id: original.id, sequence: 0, archivedHash: original.hash, receivedHash: rehashed.hash },
            { id: original.id, sequence: 0, archivedHash: original.hash, receivedHash: original.hash },
          ],
        });
        expect(await everything(archive)).toEqual([original, fresh]);
      }));

    it('reports an altered copy within one batch against its first arrival', () =>
      withArchive(async ({ archive }) => {
        const event = recordedEventSource().event();
        const altered = { ...event, data: { note: 'altered' } };
        const outcome = await archive.record([event, altered]);
        expect(outcome).toEqual({ added: 1, conflicts: [{ id: event.id, sequence: 0, archivedHash: event.hash, receivedHash: event.hash }] });
        expect(await everything(archive)).toEqual([event]);
      }));

    it("lists a case's events in archive order, and only that case's", () =>
      withArchive(async ({ archive }) => {
        const source = recordedEventSource();
        const [caseA, caseB] = [newId(), newId()];
        const a1 = source.event({ caseId: caseA });
        const b1 = source.event({ caseId: caseB });
        const a2 = source.event({ caseId: caseA });
        const loose = source.event({ caseId: null });
        await archive.record([a1, b1]);
        await archive.record([loose, a2]);
        const history = await archive.caseEvents(caseA);
        expect(history.map((entry) => entry.event)).toEqual([a1, a2]);
        expect(history.map((entry) => entry.sequence)).toEqual([0, 3]);
        expect((await archive.caseEvents(caseB)).map((entry) => entry.event.id)).toEqual([b1.id]);
      }));

    it('reads by sequence in pages, and refuses a bad range', () =>
      withArchive(async ({ archive }) => {
        const source = recordedEventSource();
        const events = Array.from({ length: 25 }, () => source.event());
        await archive.record(events);
        const pages = [await archive.read({ from: 0, limit: 10 }), await archive.read({ from: 10, limit: 10 }), await archive.read({ from: 20, limit: 10 })];
        expect(pages.map((page) => page.length)).toEqual([10, 10, 5]);
        expect(pages.flat().map((entry) => entry.event.id)).toEqual(events.map((event) => event.id));
        expect(await archive.read({ from: 25, limit: 10 })).toEqual([]);
        await expect(archive.read({ from: -1, limit: 10 })).rejects.toThrow(InvalidArchiveRequestError);
        await expect(archive.read({ from: 0, limit: 0 })).rejects.toThrow(InvalidArchiveRequestError);
        await expect(archive.read({ from: 0.5, limit: 10 })).rejects.toThrow(InvalidArchiveRequestError);
      }));

    it('refuses a batch holding anything that is not a recorded envelope, archiving none of it', () =>
      withArchive(async ({ archive }) => {
        const source = recordedEventSource();
        const good = source.event();
        const { hash: _hash, ...unhashed } = source.event();
        await expect(archive.record([good, unhashed as RecordedEvent])).rejects.toThrow(InvalidArchiveRequestError);
        await expect(archive.record([{ ...good, extra: 1 } as RecordedEvent])).rejects.toThrow(/not a recorded envelope/);
        expect(await archive.count()).toBe(0);
      }));

    it('keeps its events and its sequence across a reopen', () =>
      withArchive(async ({ archive, reopen }) => {
        const source = recordedEventSource();
        const before = [source.event(), source.event()];
        await archive.record(before);
        await archive.close();
        const reopened = await reopen();
        const after = source.event();
        expect(await reopened.record([...before, after])).toEqual({ added: 1, conflicts: [] });
        expect(await everything(reopened)).toEqual([...before, after]);
        expect(await reopened.count()).toBe(3);
      }));

    it('keeps sequences dense and each event once under concurrent writers', () =>
      withArchive(async ({ archive, reopen }) => {
        const second = await reopen();
        const source = recordedEventSource();
        const events = Array.from({ length: 120 }, () => source.event());
        // Every event is offered twice, by different writers, in overlapping batches.
        const batches = Array.from({ length: 24 }, (_, i) => events.slice(i * 5, i * 5 + 10));
        const outcomes = await Promise.all(batches.map((batch, i) => (i % 2 === 0 ? archive : second).record(batch)));
        expect(outcomes.reduce((sum, outcome) => sum + outcome.added, 0)).toBe(120);
        expect(outcomes.flatMap((outcome) => outcome.conflicts)).toEqual([]);
        const archived = await archive.read({ from: 0, limit: 1000 });
        expect(archived.map((entry) => entry.sequence)).toEqual(events.map((_, i) => i));
        expect(new Set(archived.map((entry) => entry.event.id)).size).toBe(120);
        expect(await second.count()).toBe(120);
      }));

    it('refuses every call once closed', () =>
      withArchive(async ({ archive }) => {
        await archive.close();
        await archive.close();
        await expect(archive.record([recordedEventSource().event()])).rejects.toThrow(ArchiveClosedError);
        await expect(archive.caseEvents(newId())).rejects.toThrow(ArchiveClosedError);
        await expect(archive.read({ from: 0, limit: 1 })).rejects.toThrow(ArchiveClosedError);
        await expect(archive.count()).rejects.toThrow(ArchiveClosedError);
      }));
  });
}
