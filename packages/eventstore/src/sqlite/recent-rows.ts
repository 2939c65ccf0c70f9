// The rows this store appended last, kept as written (position, columns, hashed text, hash) so
// that live subscribers read them from memory: every commit wakes each catch-up subscription of
// every service in the process, and each used to ask SQLite for the same few rows again. A read
// is answered here only when every position it covers is held, so rows another process wrote
// (which this process never held) and anything older than the ring are read from the file; the
// rows are still parsed afresh for each reader, which therefore cannot see each other's changes.
import type { StoredRow } from '../append-plan.ts';
import { matchesFilter } from '../event-filter.ts';
import type { EventFilter } from '../port.ts';

/** [position, hashed text, hash]: what a page of readAll is made of. */
export type LogRow = [number, string, string];

export class RecentRows {
  private readonly capacity: number;
  private readonly ring: (StoredRow | undefined)[];

  constructor(capacity = 2048) {
    this.capacity = capacity;
    this.ring = new Array<StoredRow | undefined>(capacity);
  }

  /** Rows just made durable, in position order. */
  add(rows: readonly StoredRow[]): void {
    for (const row of rows) this.ring[row.position % this.capacity] = row;
  }

  /**
   * Up to `limit` rows with `after < position <= to` that pass `filter`, in position order; null
   * unless every position in that range is held (the caller then reads the file).
   */
  page(after: number, to: number, limit: number, filter: EventFilter | undefined): LogRow[] | null {
    if (to - after > this.capacity) return null;
    const rows: LogRow[] = [];
    for (let position = after + 1; position <= to; position++) {
      const row = this.ring[position % this.capacity];
      if (row?.position !== position) return null;
      if (matchesFilter(row, filter)) {
        rows.push([row.position, row.hashedText, row.hash]);
        if (rows.length === limit) return rows;
      }
    }
    return rows;
  }
}
