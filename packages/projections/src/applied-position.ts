// The position a running projection has committed, and the callers waiting for it to reach
// theirs (read-your-writes in HTTP handlers). Every wait ends: reached, timed out, or the
// projection stopped.

type Waiter = { target: number; settle: (reached: boolean) => void };

export class AppliedPosition {
  private current = -1;
  private ended = false;
  private readonly waiters = new Set<Waiter>();

  get value(): number {
    return this.current;
  }

  get hasEnded(): boolean {
    return this.ended;
  }

  /** Usually forward; back to -1 when the documents were reset under the runtime and are being rebuilt. */
  moveTo(position: number): void {
    this.current = position;
    for (const waiter of this.waiters) if (waiter.target <= position) waiter.settle(true);
  }

  /** The projection will not advance any more: every waiter learns it now rather than at its timeout. */
  end(): void {
    this.ended = true;
    for (const waiter of this.waiters) waiter.settle(false);
  }

  waitFor(target: number, timeoutMs: number): Promise<boolean> {
    if (this.current >= target) return Promise.resolve(true);
    if (this.ended || timeoutMs <= 0) return Promise.resolve(false);
    return new Promise<boolean>((resolve) => {
      const waiter: Waiter = {
        target,
        settle: (reached) => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve(reached);
        },
      };
      const timer = setTimeout(() => waiter.settle(false), timeoutMs);
      this.waiters.add(waiter);
    });
  }
}
