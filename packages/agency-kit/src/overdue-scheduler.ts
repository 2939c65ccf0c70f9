// The durable deadline scheduler: it learns the open acceptance deadlines of this agency's
// inbox from the log itself (ReferralReceived opens one; an answer, a withdrawal or an overdue
// mark closes it), so it survives any restart by reading the log again, and fires
// MarkReferralOverdue when a deadline passes. The decider records ReferralOverdue only while the
// referral is still unanswered, and the command id derives from the receipt: exactly once.
import { deriveId } from '@nrm/contracts';
import type { RecordedEvent } from '@nrm/contracts';
import type { EventStore } from '@nrm/eventstore';
import type { Command } from '@nrm/service-kit';
import type { CaseRuntime } from './case-runtime.ts';

export type OverdueScheduler = {
  /** Deadlines still open, for tests and the status page. */
  pending(): number;
  /** Resolves when every deadline due by `now` has been handled. */
  tick(now?: Date): Promise<number>;
  stop(): Promise<void>;
};

type Deadline = { caseId: string; referralId: string; acceptBy: number; receivedEventId: string };

export function startOverdueScheduler<C extends Command, S>(
  runtime: CaseRuntime<C, S>,
  store: EventStore,
  options: { clock?: () => Date; maxSleepMs?: number; onError?: (error: unknown) => void } = {},
): OverdueScheduler {
  const agency = runtime.agency;
  const clock = options.clock ?? (() => new Date());
  const maxSleepMs = options.maxSleepMs ?? 60_000;
  const open = new Map<string, Deadline>();
  const stop = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let ticking: Promise<number> = Promise.resolve(0);

  const subscription = store.subscribe({
    filter: { types: ['ReferralReceived', 'ReferralAccepted', 'ReferralDeclined', 'ReferralWithdrawalReceived', 'ReferralOverdue'].map((name) => `${agency}.${name}`) },
    signal: stop.signal,
  });

  function learn(event: RecordedEvent): void {
    const data = event.data as { referralId: string; acceptBy?: string };
    if (event.type === `${agency}.ReferralReceived` && event.caseId) {
      open.set(data.referralId, { caseId: event.caseId, referralId: data.referralId, acceptBy: Date.parse(data.acceptBy!), receivedEventId: event.id });
    } else {
      open.delete(data.referralId);
    }
  }

  async function fireDue(now: Date): Promise<number> {
    let fired = 0;
    for (const deadline of [...open.values()]) {
      if (deadline.acceptBy > now.getTime()) continue;
      const commandId = deriveId(deadline.receivedEventId, 'overdue');
      await runtime.execute(deadline.caseId, 'MarkReferralOverdue', { referralId: deadline.referralId }, { commandId, now: now.toISOString(), actor: `${agency}-scheduler`, agency, caseId: deadline.caseId, causationId: deadline.receivedEventId, traceparent: null });
      open.delete(deadline.referralId);
      fired++;
    }
    return fired;
  }

  function schedule(): void {
    clearTimeout(timer);
    if (stop.signal.aborted) return;
    const earliest = Math.min(...[...open.values()].map((deadline) => deadline.acceptBy));
    const wait = Number.isFinite(earliest) ? Math.max(0, Math.min(maxSleepMs, earliest - clock().getTime())) : maxSleepMs;
    timer = setTimeout(() => void scheduler.tick().catch((error) => options.onError?.(error)), wait);
    timer.unref();
  }

  const learning = (async () => {
    for await (const event of subscription) {
      learn(event);
      schedule();
    }
  })().catch((error) => options.onError?.(error));

  const scheduler: OverdueScheduler = {
    pending: () => open.size,
    tick(now = clock()) {
      ticking = ticking.then(() => fireDue(now)).finally(schedule);
      return ticking;
    },
    async stop() {
      stop.abort();
      clearTimeout(timer);
      await subscription.close();
      await learning;
      await ticking.catch(() => undefined);
    },
  };
  schedule();
  return scheduler;
}
