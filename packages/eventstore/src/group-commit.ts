// Group commit: appends that arrive while the store is idle are collected until the current
// turn of the event loop ends, then written in one transaction (one fsync). Under load, the
// appends that arrive while a commit is in flight form the next batch. Throughput then grows
// with concurrency instead of collapsing to one fsync per event.
import type { AppendOutcome, AppendRequest } from './append-plan.ts';
import type { AppendResult } from './port.ts';

type Pending = AppendRequest & { resolve: (result: AppendResult) => void; reject: (error: Error) => void };

export class GroupCommitter {
  private queue: Pending[] = [];
  private flushing = false;
  private scheduled = false;
  private readonly commit: (requests: readonly AppendRequest[]) => Promise<AppendOutcome[]>;
  private readonly maxBatch: number;

  constructor(commit: (requests: readonly AppendRequest[]) => Promise<AppendOutcome[]>, options: { maxBatch?: number } = {}) {
    this.commit = commit;
    this.maxBatch = options.maxBatch ?? 512;
  }

  submit(request: AppendRequest): Promise<AppendResult> {
    return new Promise<AppendResult>((resolve, reject) => {
      this.queue.push({ ...request, resolve, reject });
      this.schedule();
    });
  }

  /** Resolves once everything submitted so far is committed or refused. */
  async drain(): Promise<void> {
    while (this.queue.length > 0 || this.flushing || this.scheduled) await new Promise((resolve) => setImmediate(resolve));
  }

  private schedule(): void {
    if (this.scheduled || this.flushing) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.maxBatch);
        let outcomes: AppendOutcome[];
        try {
          outcomes = await this.commit(batch);
        } catch (error) {
          for (const pending of batch) pending.reject(error as Error);
          continue;
        }
        batch.forEach((pending, index) => {
          const outcome = outcomes[index]!;
          if (outcome.ok) pending.resolve(outcome.result);
          else pending.reject(outcome.error);
        });
        // Let the callers that were just resolved submit their next appends into the next batch.
        await new Promise((resolve) => setImmediate(resolve));
      }
    } finally {
      this.flushing = false;
    }
  }
}
