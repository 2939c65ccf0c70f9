// The patched request queue of kafkajs arms no timer while idle, and still checks pending
// requests and ends throttles as kafkajs does.
import { createRequire } from 'node:module';
import { afterEach, describe, expect, it, vi } from 'vitest';
import './kafkajs-idle-timer-fix.ts';

type Queue = { throttledUntil: number; throttleCheckTimeoutId: unknown; pending: unknown[]; checkPendingRequests(): void; scheduleCheckPendingRequests(): void };
const RequestQueue = createRequire(import.meta.url)('kafkajs/src/network/requestQueue/index.js') as { prototype: Queue };

function queue(state: Partial<Queue>): Queue & { checks: number } {
  const q = Object.create(RequestQueue.prototype) as Queue & { checks: number };
  Object.assign(q, { throttledUntil: -1, throttleCheckTimeoutId: null, pending: [], checks: 0 }, state);
  q.checkPendingRequests = () => {
    q.checks += 1;
  };
  return q;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('kafkajs idle timer fix', () => {
  it('arms no timer for an idle, unthrottled connection', () => {
    vi.useFakeTimers();
    const q = queue({});
    q.scheduleCheckPendingRequests();
    expect(q.throttleCheckTimeoutId).toBeNull();
    vi.advanceTimersByTime(1000);
    expect(q.checks).toBe(0);
  });

  it('checks pending requests again after 10 ms', () => {
    vi.useFakeTimers();
    const q = queue({ pending: [{}] });
    q.scheduleCheckPendingRequests();
    vi.advanceTimersByTime(9);
    expect(q.checks).toBe(0);
    vi.advanceTimersByTime(1);
    expect(q.checks).toBe(1);
    expect(q.throttleCheckTimeoutId).toBeNull();
  });

  it('waits out a broker throttle before checking', () => {
    vi.useFakeTimers();
    const q = queue({ throttledUntil: Date.now() + 500 });
    q.scheduleCheckPendingRequests();
    vi.advanceTimersByTime(499);
    expect(q.checks).toBe(0);
    vi.advanceTimersByTime(1);
    expect(q.checks).toBe(1);
  });

  it('arms one timer however often it is asked', () => {
    vi.useFakeTimers();
    const q = queue({ pending: [{}] });
    for (let i = 0; i < 5; i += 1) q.scheduleCheckPendingRequests();
    vi.advanceTimersByTime(10);
    expect(q.checks).toBe(1);
  });
});
