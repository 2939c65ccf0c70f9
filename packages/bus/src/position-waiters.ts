// Lets callers wait until a consumer has reached a global position (tests, read-your-writes,
// latency benchmarks), always with a deadline.
export class PositionWaiters {
  private position: number;
  private readonly waiting = new Set<{ position: number; resolve: () => void }>();

  constructor(position = -1) {
    this.position = position;
  }

  reached(position: number): void {
    if (position <= this.position) return;
    this.position = position;
    for (const waiter of this.waiting) {
      if (waiter.position <= position) {
        this.waiting.delete(waiter);
        waiter.resolve();
      }
    }
  }

  wait(position: number, timeoutMs: number, label: string): Promise<void> {
    if (position <= this.position) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter = {
        position,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      const timer = setTimeout(() => {
        this.waiting.delete(waiter);
        reject(new Error(`${label} did not reach position ${position} within ${timeoutMs} ms (at ${this.position})`));
      }, timeoutMs);
      this.waiting.add(waiter);
    });
  }
}
