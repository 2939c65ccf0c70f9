// Group commit: appends that arrive while the store is idle are collected until the current
// turn of the event loop ends, then written in one transaction (one fsync). Under load, the
// appends that arrive while a commit is in flight form the next batch. Throughput then grows
// with concurrency instead of collapsing to one fsync per event.
import type { AppendOutcome, AppendRequest } from './append-plan.ts';
import type { AppendResult } from './port.ts';

type Pending = AppendRequest & { resolve: (result: AppendResult) => void; reject: (error: Error) => void };

export type GroupCommitOptions = {
  /** Most requests in one batch. */
  maxBatch?: number;
  /**
   * Batches that may be committing at once. Above 1, `commit` must plan each batch when it is
   * called (in call order) and may resolve later, as the SQLite pipeline does.
   */
  maxInFlight?: number;
};

/** With a pipeline and nothing in flight, a queue at least this long is split in two batches. */
const SPLIT_AT = 8;

export class GroupCommitter {
  private queue: Pending[] = [];
  private inFlight = 0;
  private scheduled = false;
  private readonly commit: (requests: readonly AppendRequest[]) => Promise<AppendOutcome[]>;
  private readonly maxBatch: number;
  private readonly maxInFlight: number;

  constructor(commit: (requests: readonly AppendRequest[]) => Promise<AppendOutcome[]>, options: GroupCommitOptions = {}) {
    this.commit = commit;
    this.maxBatch = options.maxBatch ?? 512;
    this.maxInFlight = options.maxInFlight ?? 1;
  }

  submit(request: AppendRequest): Promise<AppendResult> {
    return new Promise<AppendResult>((resolve, reject) => {
      this.queue.push({ ...request, resolve, reject });
      this.schedule();
    });
  }

  /** Resolves once everything submitted so far is committed or refused. */
  async drain(): Promise<void> {
    while (this.queue.length > 0 || this.inFlight > 0 || this.scheduled) await new Promise((resolve) => setImmediate(resolve));
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.maxInFlight) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    while (this.queue.length > 0 && this.inFlight < this.maxInFlight) {
      let size = Math.min(this.queue.length, this.maxBatch);
      // A pipeline with one big batch has nothing to overlap: halve it, so the second half is
      // prepared while the first is written, and the first half's callers come back while the
      // second is written. The pipeline then keeps itself full.
      if (this.maxInFlight > 1 && this.inFlight === 0 && size >= SPLIT_AT) size = Math.ceil(size / 2);
      this.run(this.queue.splice(0, size));
    }
  }

  private run(batch: Pending[]): void {
    this.inFlight++;
    let committing: Promise<AppendOutcome[]>;
    try {
      committing = this.commit(batch);
    } catch (error) {
      committing = Promise.reject(error as Error);
    }
    committing.then(
      (outcomes) =>
        batch.forEach((pending, index) => {
          const outcome = outcomes[index]!;
          if (outcome.ok) pending.resolve(outcome.result);
          else pending.reject(outcome.error);
        }),
      (error: unknown) => {
        for (const pending of batch) pending.reject(error as Error);
      },
    ).finally(() => {
      this.inFlight--;
      // Flushed on the next turn, so the callers that were just resolved can submit their next
      // appends into the next batch.
      if (this.queue.length > 0) this.schedule();
    });
  }
}
