// The list of an agency's cases (read model): one document per case stream, newest first by
// the case id (a ULID), with the last thing that happened. Built from the agency's own events.
import type { RecordedEvent, ReferralAgency } from '@nrm/contracts';
import type { Projection, ProjectionTx } from '@nrm/projections';
import { caseStream } from './case-decider.ts';

export type CaseListEntry = { caseId: string; openedAt: string; lastEventType: string; lastEventAt: string; revision: number };

export function caseListProjectionName(agency: ReferralAgency): string {
  return `${agency}.cases`;
}

export function caseListProjection(agency: ReferralAgency): Projection {
  const prefix = caseStream(agency, '');
  return {
    name: caseListProjectionName(agency),
    version: 1,
    filter: { streamPrefixes: [prefix] },
    apply(event: RecordedEvent, tx: ProjectionTx) {
      const caseId = event.stream.slice(prefix.length);
      const stored = tx.get(caseId)?.doc as CaseListEntry | undefined;
      const entry: CaseListEntry = { caseId, openedAt: stored?.openedAt ?? event.occurredAt, lastEventType: event.type, lastEventAt: event.occurredAt, revision: event.revision };
      tx.put(caseId, entry, { partition: agency, sortKey: caseId });
    },
  };
}
