// POST /v1/<agency>/events: an agency's own system sends a batch of facts. Each fact is checked
// and recorded by the fact ingestor (fact-ingestor.ts) and gets its own answer: accepted,
// duplicate or rejected with the rule's name. One bad fact never fails the others.
import { z } from 'zod';
import { principalOf, requireAgency, requireRole } from '@nrm/service-kit';
import type { Command, NrmApp } from '@nrm/service-kit';
import { WRITER_ROLES } from './case-command-route.ts';
import type { CaseRuntime } from './case-runtime.ts';
import { FactResultSchema, FactSchema, createFactIngestor } from './fact-ingestor.ts';
import type { FactResult, IngestibleFact } from './fact-ingestor.ts';

// Still importable from here, where they were declared before Kafka ingress shared the ingestor.

export const MAX_INGESTION_BATCH = 100;

const IngestionBodySchema = z.strictObject({ events: z.array(FactSchema).min(1).max(MAX_INGESTION_BATCH) });

export function registerIngestionRoute<C extends Command, S>(app: NrmApp, runtime: CaseRuntime<C, S>, facts: Readonly<Record<string, IngestibleFact>>): void {
  const agency = runtime.agency;
  const ingestor = createFactIngestor(runtime, facts);
  app.post(
    '/events',
    {
      schema: {
        summary: `Ingest a batch of facts from ${agency}'s own system (at most ${MAX_INGESTION_BATCH}); each is answered on its own`,
        tags: [agency],
        body: IngestionBodySchema,
        response: { 200: z.object({ accepted: z.int(), duplicates: z.int(), rejected: z.int(), results: z.array(FactResultSchema) }) },
      },
      preHandler: [requireAgency(agency), requireRole(...WRITER_ROLES)],
    },
    async (request) => {
      const principal = principalOf(request);
      const results: FactResult[] = [];
      for (const fact of request.body.events) results.push(await ingestor.ingest(fact, principal.subject, request.traceparent));
      return {
        accepted: results.filter((result) => result.status === 'accepted').length,
        duplicates: results.filter((result) => result.status === 'duplicate').length,
        rejected: results.filter((result) => result.status === 'rejected').length,
        results,
      };
    },
  );
}
