// Runs commands against an agency's case streams: the one path HTTP routes, ingestion, reactions
// and the scheduler all take (load, decide, append with the expected revision, retry on conflict).
import type { EventRegistry, ReferralAgency } from '@nrm/contracts';
import type { EventStore } from '@nrm/eventstore';
import { handleCommand, loadState } from '@nrm/service-kit';
import type { Command, CommandMetadata, Decider, DomainEvent, HandleCommandResult, StreamRevision } from '@nrm/service-kit';
import { caseDecider, caseStream } from './case-decider.ts';
import type { AgencyDecider, CaseState, RecordPersonalDataAccess } from './case-decider.ts';
import type { ReferralCommand } from './referral-decider.ts';

export type CaseRuntime<C extends Command, S> = {
  agency: ReferralAgency;
  store: EventStore;
  decider: Decider<C | ReferralCommand | RecordPersonalDataAccess, DomainEvent, CaseState<S>>;
  execute(caseId: string, type: string, data: unknown, metadata: CommandMetadata, expectedRevision?: StreamRevision, options?: { replayable?: boolean }): Promise<HandleCommandResult<DomainEvent, CaseState<S>>>;
  load(caseId: string): Promise<{ state: CaseState<S>; revision: StreamRevision }>;
};

export function createCaseRuntime<C extends Command, S>(agency: ReferralAgency, own: AgencyDecider<C, S>, deps: { store: EventStore; registry: EventRegistry }): CaseRuntime<C, S> {
  const decider = caseDecider(agency, own);
  return {
    agency,
    store: deps.store,
    decider,
    execute: (caseId, type, data, metadata, expectedRevision, options) =>
      handleCommand({
        replayable: options?.replayable ?? false,
        store: deps.store,
        stream: caseStream(agency, caseId),
        decider,
        command: { type, data, metadata } as C | ReferralCommand | RecordPersonalDataAccess,
        registry: deps.registry,
        ...(expectedRevision === undefined ? {} : { expectedRevision }),
      }),
    load: (caseId) => loadState(deps.store, caseStream(agency, caseId), decider, deps.registry),
  };
}
