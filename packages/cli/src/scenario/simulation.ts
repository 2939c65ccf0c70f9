// Runs many case stories through the public API at a bounded concurrency, then checks every
// chain in the auditors' log: each case complete, each event there once. `nrm simulate` and
// the crash test both use it.
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

export async function checkChain(client: BackboneClient, caseId: string): Promise<ChainCheck> {
  const log = await client.get<{ events: { id: string; type: string }[] }>('audit', `/cases/${caseId}/events`);
  const types = new Set(log.events.map((event) => event.type));
  const eventIds = log.events.map((event) => event.id);
  return { caseId, events: eventIds.length, distinct: new Set(eventIds).size, complete: CHAIN_END.every((type) => types.has(type)), eventIds };
}

export async function simulate(client: BackboneClient, options: SimulationOptions): Promise<SimulationResult> {
  const nextStory = caseStories(options.seed);
  const stories = Array.from({ length: options.cases }, () => nextStory());
  const caseIds: string[] = [];
  const acceptedEventIds: string[] = [];
  const failures: SimulationResult['failures'] = [];
  let next = 0;
  let done = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(options.concurrency, options.cases) }, async () => {
      while (next < stories.length) {
        const index = next++;
        try {
          caseIds.push((await runReferralChain(client, stories[index]!, (step) => acceptedEventIds.push(...step.events.map((event) => event.id)))).caseId);
        } catch (error) {
          failures.push({ index, error: (error as Error).message });
        }
        options.onCaseDone?.(++done, failures.length);
      }
    }),
  );
  const ms = performance.now() - started;
  const chains: ChainCheck[] = [];
  for (let i = 0; i < caseIds.length; i += 8) chains.push(...(await Promise.all(caseIds.slice(i, i + 8).map((caseId) => checkChain(client, caseId)))));
  return { cases: options.cases, completed: chains.filter((chain) => chain.complete).length, failures, ms, chains, events: chains.reduce((sum, chain) => sum + chain.events, 0), acceptedEventIds };
}
