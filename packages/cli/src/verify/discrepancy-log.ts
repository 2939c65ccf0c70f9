// First-of-kind bookkeeping: the first discrepancy of each kind (per store) is kept, the rest
// only counted. Plain data, so scans running in worker threads can hand theirs back.
import type { Discrepancy } from './verify-types.ts';

export type Found = Omit<Discrepancy, 'count'>;

export class DiscrepancyLog {
  private readonly byKey = new Map<string, Discrepancy>();

  add(found: Found, count = 1): void {
    const key = `${found.kind}\u0000${found.store ?? ''}`;
    const first = this.byKey.get(key);
    if (first) first.count += count;
    else this.byKey.set(key, { ...found, count });
  }

  /** Takes over another log's findings as if they had been added here, after this log's own. */
  addAll(found: readonly Discrepancy[]): void {
    for (const { count, ...rest } of found) this.add(rest, count);
  }

  all(): Discrepancy[] {
    return [...this.byKey.values()];
  }
}
