// The archive's Merkle log, kept in step with the archive: leaf i is the leaf hash of the
// canonical envelope text archived at sequence i. The archive is the source of truth, so the tree
// holds nothing of its own to lose: it loads the archive in pages at first use and, before every
// answer, reads the rows archived since (sequence ≥ its size). A tree head therefore covers every
// event archived before it was asked for, and no event can be left out.
import { setImmediate as nextTurn } from 'node:timers/promises';
import { MAX_READ_LIMIT } from '../archive/archive-store.ts';
import type { ArchiveStore } from '../archive/archive-store.ts';
import { MerkleLog, leafHash } from './merkle-log.ts';

export type ArchivedLeaf = { leafIndex: number; envelope: string };

export type ArchiveTree = {
  /** The log after reading every event archived so far. */
  current(): Promise<MerkleLog>;
  /** An archived event's leaf and its canonical envelope (what the leaf hashes), after catching up. */
  findEvent(eventId: string): Promise<ArchivedLeaf | undefined>;
};

/** 32-bit FNV-1a over the id's UTF-16 code units: a slot key, not a proof of anything. */
function idHash(id: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) hash = Math.imul(hash ^ id.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

/**
 * Event id → sequence in 8 bytes a slot (open addressing on a 32-bit hash of the id), where a Map
 * of a million ids would take ten times that. Two ids may share a hash: lookups give every
 * candidate sequence and the caller confirms it against the archive.
 */
class EventIdIndex {
  private hashes = new Uint32Array(1 << 12);
  private sequences = new Int32Array(1 << 12).fill(-1);
  private count = 0;

  add(id: string, sequence: number): void {
    if ((this.count + 1) * 2 > this.sequences.length) this.grow();
    this.place(idHash(id), sequence);
    this.count++;
  }

  *candidates(id: string): Generator<number> {
    const hash = idHash(id);
    const mask = this.sequences.length - 1;
    for (let slot = hash & mask; this.sequences[slot] !== -1; slot = (slot + 1) & mask) {
      if (this.hashes[slot] === hash) yield this.sequences[slot]!;
    }
  }

  private place(hash: number, sequence: number): void {
    const mask = this.sequences.length - 1;
    let slot = hash & mask;
    while (this.sequences[slot] !== -1) slot = (slot + 1) & mask;
    this.hashes[slot] = hash;
    this.sequences[slot] = sequence;
  }

  private grow(): void {
    const { hashes, sequences } = this;
    this.hashes = new Uint32Array(hashes.length * 2);
    this.sequences = new Int32Array(sequences.length * 2).fill(-1);
    for (let slot = 0; slot < sequences.length; slot++) if (sequences[slot] !== -1) this.place(hashes[slot]!, sequences[slot]!);
  }
}

export function createArchiveTree(archive: ArchiveStore, options: { pageSize?: number } = {}): ArchiveTree {
  const pageSize = options.pageSize ?? MAX_READ_LIMIT;
  const log = new MerkleLog();
  const ids = new EventIdIndex();

  /** Reads and appends every row from sequence `log.size` on, a page at a time. */
  async function readNewRows(): Promise<void> {
    for (;;) {
      const rows = await archive.read({ from: log.size, limit: pageSize });
      for (const row of rows) {
        // Dense sequences are the archive's promise; a gap would silently shift every later leaf.
        if (row.sequence !== log.size) throw new Error(`the archive skipped from sequence ${log.size} to ${row.sequence}`);
        ids.add(row.event.id, row.sequence);
        log.append(leafHash(row.envelope));
      }
      if (rows.length < pageSize) return;
      // A first load of a large archive takes many pages: let other requests through meanwhile.
      await nextTurn();
    }
  }

  // Catch-ups run one at a time. A caller joins a pass that has not started yet (it will see
  // everything archived before the caller asked); a pass already reading may have passed the end
  // before the caller's event arrived, so the caller queues the next one.
  let last: Promise<void> = Promise.resolve();
  let queued: Promise<void> | undefined;
  function catchUp(): Promise<void> {
    if (queued) return queued;
    const pass = last
      .catch(() => undefined)
      .then(() => {
        queued = undefined;
        return readNewRows();
      });
    queued = pass;
    last = pass;
    return pass;
  }

  return {
    async current() {
      await catchUp();
      return log;
    },
    async findEvent(eventId) {
      await catchUp();
      for (const sequence of ids.candidates(eventId)) {
        const [row] = await archive.read({ from: sequence, limit: 1 });
        if (row?.event.id === eventId) return { leafIndex: sequence, envelope: row.envelope };
      }
      return undefined;
    },
  };
}
