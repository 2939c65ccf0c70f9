// Runs many case stories through the public API at a bounded concurrency, then checks every
// chain in the auditors' log: each case complete, each event there once. `nrm simulate` and
// the crash test both use it.
import { ApiError } from '../backbone-client.ts';
import type { BackboneClient } from '../backbone-client.ts';
import { caseStories } from './case-stories.ts';
import { runReferralChain } from './referral-chain.ts';

export type SimulationOptions = { cases: number; concurrency: number; seed: number; onCaseDone?: (done: number, failed: number) => void };

export type ChainCheck = { caseId: string; events: number; distinct: number; complete: boolean; eventIds: string[] };

export type SimulationResult = {
  cases: number;
  completed: number;
  failures: { index: number; error: string }[];
  ms: number;
  /** Per case, as the auditors' log shows it after the run. */
  chains: ChainCheck[];
  events: number;
  /** Every event id a successful request answered with: each must be in the log afterwards. */
  acceptedEventIds: string[];
};

/** The last facts of a chain: reintegration closed the case and protection reported its referral done. */
const CHAIN_END = ['reintegration.ReintegrationCaseClosed', 'reintegration.ReferralCompleted', 'protection.ReferralCompleted'];

export type AuditedEvent = { id: string; type: string; agency: string; occurredAt: string; causationId: string | null };

const isComplete = (events: readonly AuditedEvent[]) => CHAIN_END.every((type) => events.some((event) => event.type === type));

/**
 * The case's events as the auditors' log shows them. The audit archive fills from the bus
 * asynchronously, so this waits (bounded: `timeoutMs`, or the client's own bound for waiting)
 * until the log holds the end of the chain and every event in `expectedIds`; after that it
 * answers with what the log holds, complete or not.
 */
export async function auditedChain(client: BackboneClient, caseId: string, expectedIds: readonly string[] = [], timeoutMs?: number): Promise<AuditedEvent[]> {
  let seen: AuditedEvent[] = [];
  let readFailed = false;
  const ready = () => isComplete(seen) && expectedIds.every((id) => seen.some((event) => event.id === id));
  await client
    .waitFor(
      `the audit archive to hold case ${caseId}`,
      async () => {
        try {
          seen = (await client.get<{ events: AuditedEvent[] }>('audit', `/cases/${caseId}/events`)).events;
        } catch (error) {
          // Not one event of the case archived yet.
          if (!(error instanceof ApiError && error.status === 404)) {
            readFailed = true;
            throw error;
          }
        }
        return ready() ? seen : undefined;
      },
      timeoutMs,
    )
    .catch((error: unknown) => {
      if (readFailed) throw error;
    });
  return seen;
}

export async function checkChain(client: BackboneClient, caseId: string, expectedIds: readonly string[] = []): Promise<ChainCheck> {
  const events = await auditedChain(client, caseId, expectedIds);
  const eventIds = events.map((event) => event.id);
  return { caseId, events: eventIds.length, distinct: new Set(eventIds).size, complete: isComplete(events), eventIds };
}

export async function simulate(client: BackboneClient, options: SimulationOptions): Promise<SimulationResult> {
  const nextStory = caseStories(options.seed);
  const stories = Array.from({ length: options.cases }, () => nextStory());
  const cases: { caseId: string; eventIds: string[] }[] = [];
  const acceptedEventIds: string[] = [];
  const failures: SimulationResult['failures'] = [];
  let next = 0;
  let done = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(options.concurrency, options.cases) }, async () => {
      while (next < stories.length) {
        const index = next++;
        const eventIds: string[] = [];
        try {
          const { caseId } = await runReferralChain(client, stories[index]!, (step) => eventIds.push(...step.events.map((event) => event.id)));
          cases.push({ caseId, eventIds });
        } catch (error) {
          failures.push({ index, error: (error as Error).message });
        }
        acceptedEventIds.push(...eventIds);
        options.onCaseDone?.(++done, failures.length);
      }
    }),
  );
  const ms = performance.now() - started;
  const chains: ChainCheck[] = [];
  for (let i = 0; i < cases.length; i += 8) chains.push(...(await Promise.all(cases.slice(i, i + 8).map(({ caseId, eventIds }) => checkChain(client, caseId, eventIds)))));
  return { cases: options.cases, completed: chains.filter((chain) => chain.complete).length, failures, ms, chains, events: chains.reduce((sum, chain) => sum + chain.events, 0), acceptedEventIds };
}
