// kafkajs 2.2.4 (the last release) re-arms a timer on every connection forever once its request
// queue is empty and the broker has not throttled it: `throttledUntil` is -1, so the delay is
// -1 - Date.now(), which Node clamps to 1 ms (and Node 24 warns about: TimeoutNegativeWarning).
// Every idle connection of every consumer then wakes the event loop a thousand times a second:
// a few percent of a core per idle service, much more across the seven processes of a
// distributed backbone on two cores, which starved a broker restart in CI (kafkajs#1751; the
// upstream fix was never released). This replaces the method with one that schedules a check
// only when there is something to check: pending requests, or a throttle that ends later.
import { createRequire } from 'node:module';

type RequestQueue = {
  throttledUntil: number;
  throttleCheckTimeoutId: ReturnType<typeof setTimeout> | null;
  pending: unknown[];
  checkPendingRequests(): void;
  scheduleCheckPendingRequests(): void;
};

// The same interval kafkajs uses while requests wait for room on the connection.
const CHECK_PENDING_REQUESTS_INTERVAL_MS = 10;
const PATCHED = Symbol.for('nrm.kafkajs.idle-timer-fix');

const require = createRequire(import.meta.url);
const RequestQueueClass = require('kafkajs/src/network/requestQueue/index.js') as { prototype: RequestQueue & { [PATCHED]?: true } };

if (!RequestQueueClass.prototype[PATCHED]) {
  RequestQueueClass.prototype[PATCHED] = true;
  RequestQueueClass.prototype.scheduleCheckPendingRequests = function scheduleCheckPendingRequests(this: RequestQueue): void {
    if (this.throttleCheckTimeoutId) return;
    const throttledFor = this.throttledUntil - Date.now();
    // Nothing waiting and no throttle: the next enqueue or fulfilled request checks again.
    if (this.pending.length === 0 && throttledFor <= 0) return;
    const delay = throttledFor > 0 ? throttledFor : CHECK_PENDING_REQUESTS_INTERVAL_MS;
    this.throttleCheckTimeoutId = setTimeout(() => {
      this.throttleCheckTimeoutId = null;
      this.checkPendingRequests();
    }, delay);
  };
}
