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
      return {
        async next() {
          if (index < page.length) return emit();
          if (exhausted || remaining <= 0) return done;
          const limit = Math.min(pageSize, remaining);
          page = await readPage(after, limit);
          index = 0;
          if (page.length < limit) exhausted = true;
          if (page.length === 0) return done;
          after = page[page.length - 1]![0];
          remaining -= page.length;
          return emit();
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
