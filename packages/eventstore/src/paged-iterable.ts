// Reads the log a page at a time but hands events out one by one. A hand-written iterator
// rather than an async generator: per-event generator machinery costs more than parsing the
// event, and readAll is the hot path of catch-up, projections and verification.
import type { RecordedEvent } from '@nrm/contracts';
import type { ReadOptions } from './port.ts';

type PageRow = [number, string, string];

export function pagedIterable(
  readPage: (after: number, limit: number) => PageRow[] | Promise<PageRow[]>,
  options: ReadOptions,
  pageSize: number,
): AsyncIterable<RecordedEvent> {
  return {
    [Symbol.asyncIterator](): AsyncIterator<RecordedEvent> {
      let after = options.after ?? -1;
      let remaining = options.limit ?? Number.POSITIVE_INFINITY;
      let page: PageRow[] = [];
      let index = 0;
      let exhausted = false;
      const done: IteratorReturnResult<undefined> = { done: true, value: undefined };
      const emit = (): IteratorYieldResult<RecordedEvent> => {
        const row = page[index++]!;
        const event = JSON.parse(row[1]) as RecordedEvent;
        event.position = row[0];
        event.hash = row[2];
        return { done: false, value: event };
      };
      const accept = (rows: PageRow[], limit: number): IteratorResult<RecordedEvent> => {
        page = rows;
        index = 0;
        if (rows.length < limit) exhausted = true;
        if (rows.length === 0) return done;
        after = rows[rows.length - 1]![0];
        remaining -= rows.length;
        return emit();
      };
      return {
        // Not an async function: within a page, each step is an already-resolved promise.
        next(): Promise<IteratorResult<RecordedEvent>> {
          if (index < page.length) return Promise.resolve(emit());
          if (exhausted || remaining <= 0) return Promise.resolve(done);
          const limit = Math.min(pageSize, remaining);
          const rows = readPage(after, limit);
          return Array.isArray(rows) ? Promise.resolve(accept(rows, limit)) : rows.then((loaded) => accept(loaded, limit));
        },
        async return() {
          exhausted = true;
          page = [];
          return done;
        },
      };
    },
  };
}
