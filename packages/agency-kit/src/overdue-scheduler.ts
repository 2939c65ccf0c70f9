// The durable deadline scheduler: it learns the open acceptance deadlines of this agency's
// inbox from the log itself (ReferralReceived opens one; an answer, a withdrawal or an overdue
// mark closes it), so it survives any restart by reading the log again, and fires
// MarkReferralOverdue when a deadline passes. The decider records ReferralOverdue only while the
// referral is still unanswered, and the command id derives from the receipt: exactly once.
import { deriveId } from '@nrm/contracts';
import type { RecordedEvent } from '@nrm/contracts';
import type { EventStore } from '@nrm/eventstore';
import { startDeadlineLoop } from '@nrm/service-kit';
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
  const open = new Map<string, Deadline>();

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

  const loop = startDeadlineLoop({
    ...options,
    store,
    filter: { types: ['ReferralReceived', 'ReferralAccepted', 'ReferralDeclined', 'ReferralWithdrawalReceived', 'ReferralOverdue'].map((name) => `${agency}.${name}`) },
    learn,
    earliest: () => Math.min(...[...open.values()].map((deadline) => deadline.acceptBy)),
    fireDue,
  });
  return { pending: () => open.size, tick: (now) => loop.tick(now), stop: () => loop.stop() };
}
