// An agency service from its parts: its decider, its own routes, the facts its system may send,
// and how its case is shown. The shared parts are added here the same way for all five: the
// referral routes, the ingestion endpoint, the case view, and the background work (referrals
// arriving in the inbox, the overdue scheduler, and the facts the agency's systems publish to
// the bus where the bus carries them: Kafka's ingress topic).
import type { ReferralAgency } from '@nrm/contracts';
import type { BackboneService, Command, NrmApp, ServiceDependencies, ServiceWorker } from '@nrm/service-kit';
import type { z } from 'zod';
import type { AgencyDecider } from './case-decider.ts';
import { createCaseRuntime } from './case-runtime.ts';
import type { CaseRuntime } from './case-runtime.ts';
import { registerCaseView } from './case-view-route.ts';
import { registerPersonalDataRoute } from './personal-data-route.ts';
import { erasureReactions, registerErasureRoute } from './person-erasure.ts';
import { deadlinePolicyFromEnv } from './deadline-policy.ts';
import type { DeadlinePolicy } from './deadline-policy.ts';
import { createFactIngestor, parseFact } from './fact-ingestor.ts';
import type { IngestibleFact } from './fact-ingestor.ts';
import { registerIngestionRoute } from './ingestion-route.ts';
import { ingressAuthenticator } from './ingress-authentication.ts';
import { startOverdueScheduler } from './overdue-scheduler.ts';
import { referralFacts } from './referral-facts.ts';
import { referralReactions } from './referral-reactions.ts';
import { registerReferralRoutes } from './referral-routes.ts';
import { caseListProjection } from './case-list-projection.ts';
import { registerReadModelRoutes } from './read-model-routes.ts';
import { referralInboxProjection } from './referral-inbox-projection.ts';
import { runProjection } from '@nrm/projections';
import type { Projection } from '@nrm/projections';

export type AgencyServiceSpec<C extends Command, S, V extends z.ZodType> = {
  agency: ReferralAgency;
  description: string;
  decider: AgencyDecider<C, S>;
  /** The agency's own routes; the deadline policy is the one the shared referral routes use, read once here. */
  routes(app: NrmApp, runtime: CaseRuntime<C, S>, dependencies: ServiceDependencies, policy: DeadlinePolicy): void;
  facts(runtime: CaseRuntime<C, S>, dependencies: ServiceDependencies): Record<string, IngestibleFact>;
  view: { schema: V; render(state: S): z.infer<V> | null };
  deadlines?: DeadlinePolicy;
};

export function defineAgencyService<C extends Command, S, V extends z.ZodType>(spec: AgencyServiceSpec<C, S, V>): BackboneService {
  const projections = agencyProjections(spec.agency);
  const ingestibleFacts = (runtime: CaseRuntime<C, S>, dependencies: ServiceDependencies, policy: DeadlinePolicy) => ({
    ...spec.facts(runtime, dependencies),
    ...referralFacts(spec.agency, policy),
  });
  return {
    name: spec.agency,
    description: spec.description,
    projections,
    routes: async (app, dependencies) => {
      const policy = spec.deadlines ?? deadlinePolicyFromEnv();
      const runtime = createCaseRuntime(spec.agency, spec.decider, dependencies);
      spec.routes(app, runtime, dependencies, policy);
      registerReferralRoutes(app, runtime, policy);
      registerIngestionRoute(app, runtime, ingestibleFacts(runtime, dependencies, policy));
      registerCaseView(app, runtime, spec.view);
      registerPersonalDataRoute(app, runtime, dependencies.vault);
      registerErasureRoute(app, spec.agency, dependencies);
      registerReadModelRoutes(app, spec.agency, dependencies.projections);
    },
    start: async (dependencies): Promise<ServiceWorker[]> => {
      const runtime = createCaseRuntime(spec.agency, spec.decider, dependencies);
      const inbox = dependencies.bus.consume({
        ...referralReactions(runtime),
        onDeadLetter: (event, error) => console.error(`[${spec.agency}] referral ${event.id} could not be filed: ${String(error)}`),
        onError: (error) => console.error(`[${spec.agency}] referral inbox: the bus failed, resuming from the checkpoint: ${String(error)}`),
      });
      const erasures = dependencies.bus.consume({
        ...erasureReactions(spec.agency, dependencies),
        maxAttempts: Number.POSITIVE_INFINITY,
        onRetry: (event, error, attempt) => console.error(`[${spec.agency}] erasure ${event.id} could not be carried out (attempt ${attempt}), retrying: ${String(error)}`),
        onError: (error) => console.error(`[${spec.agency}] erasures: the bus failed, resuming from the checkpoint: ${String(error)}`),
      });
      const scheduler = startOverdueScheduler(runtime, dependencies.store, { onError: (error) => console.error(`[${spec.agency}] overdue scheduler: ${String(error)}`) });
      const ingestor = createFactIngestor(runtime, ingestibleFacts(runtime, dependencies, spec.deadlines ?? deadlinePolicyFromEnv()));
      const ingress = dependencies.bus.consumeIngress?.({
        agency: spec.agency,
        consumer: `${spec.agency}.ingress`,
        authenticate: ingressAuthenticator(spec.agency, dependencies.verifyToken),
        parseFact,
        handle: ({ fact, actor, traceparent }) => ingestor.ingest(fact, actor, traceparent),
        onRetry: (error, attempt) => console.error(`[${spec.agency}] ingress: a fact could not be recorded (attempt ${attempt}), retrying: ${String(error)}`),
        onError: (error) => console.error(`[${spec.agency}] ingress: the bus failed: ${String(error)}`),
      });
      const readModels = projections.map((projection) => {
        const stop = new AbortController();
        const handle = runProjection({ store: dependencies.store, projections: dependencies.projections, projection, signal: stop.signal });
        return { name: projection.name, stop: async () => void (stop.abort(), await handle.done) };
      });
      return [
        ...readModels,
        { name: `${spec.agency}.referral-inbox`, stop: () => inbox.stop() },
        { name: `${spec.agency}.erasures`, stop: () => erasures.stop() },
        { name: `${spec.agency}.overdue-scheduler`, stop: () => scheduler.stop() },
        ...(ingress ? [{ name: `${spec.agency}.ingress`, stop: () => ingress.stop() }] : []),
      ];
    },
  };
}

/** The read models every agency keeps; `nrm rebuild` finds them here too. */
export function agencyProjections(agency: ReferralAgency): Projection[] {
  return [referralInboxProjection(agency), caseListProjection(agency)];
}
