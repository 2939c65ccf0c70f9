// The archive tree against a real (in-memory SQLite) archive: leaves are the archived envelopes
// in sequence order, it catches up before every answer, and concurrent callers all see their events.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newId } from '@nrm/contracts';
import type { ArchiveStore } from '../archive/archive-store.ts';
import { createSqliteArchiveStore } from '../archive/sqlite/sqlite-archive-store.ts';
import { recordedEventSource } from '../archive/testing/recorded-events.ts';
import { createArchiveTree } from './archive-tree.ts';
import { MerkleLog, leafHash } from './merkle-log.ts';
import { verifyInclusion } from './merkle-proofs.ts';

let archive: ArchiveStore;
const source = recordedEventSource();
beforeEach(() => {
  archive = createSqliteArchiveStore({ path: ':memory:' });
});
afterEach(() => archive.close());

const events = (count: number) => Array.from({ length: count }, () => source.event());

describe('createArchiveTree', () => {
  it('loads the archive in pages: leaf i hashes the canonical envelope archived at sequence i', async () => {
    await archive.record(events(23));
    const tree = createArchiveTree(archive, { pageSize: 5 });
    const log = await tree.current();
    const rows = await archive.read({ from: 0, limit: 100 });
    const expected = new MerkleLog();
    for (const row of rows) expected.append(leafHash(row.envelope));
    expect(log.size).toBe(23);
    expect(log.root().equals(expected.root())).toBe(true);
  });

  it('catches up with events archived since, before every answer', async () => {
    const tree = createArchiveTree(archive, { pageSize: 4 });
    expect((await tree.current()).size).toBe(0);
    const first = events(6);
    await archive.record(first);
    const oldRoot = (await tree.current()).root();
    const later = events(9);
    await archive.record(later);
    const log = await tree.current();
    expect(log.size).toBe(15);
    expect(log.root(6).equals(oldRoot)).toBe(true);
    const found = await tree.findEvent(later[4]!.id);
    expect(found?.leafIndex).toBe(10);
    expect(verifyInclusion(leafHash(found!.envelope), found!.leafIndex, log.size, log.inclusionProof(found!.leafIndex), log.root())).toBe(true);
  });

  it('finds every archived event by id, and no unknown one', async () => {
    const recorded = events(300);
    await archive.record(recorded);
    const tree = createArchiveTree(archive, { pageSize: 64 });
    for (const [sequence, event] of recorded.entries()) expect((await tree.findEvent(event.id))?.leafIndex).toBe(sequence);
    expect(await tree.findEvent(newId())).toBeUndefined();
  });

  it('gives concurrent callers one consistent log holding every event archived before they asked', async () => {
    const tree = createArchiveTree(archive, { pageSize: 3 });
    const answers: Promise<number>[] = [];
    for (let round = 0; round < 10; round++) {
      await archive.record(events(7));
      const archivedNow = await archive.count();
      answers.push(tree.current().then((log) => (log.size >= archivedNow ? archivedNow : -log.size)));
    }
    expect(await Promise.all(answers)).toEqual(Array.from({ length: 10 }, (_, round) => (round + 1) * 7));
    expect((await tree.current()).size).toBe(70);
  });
});
