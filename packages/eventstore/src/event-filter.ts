// The EventFilter applied to one event in memory, as filter-sql.ts applies it in the SQL stores:
// for stores and buses that filter what they have already read (EventStoreDB, the Kafka bus) and
// for SQLite's live reads from memory. A stream prefix matches exactly, case included.
import type { EventFilter } from './port.ts';

/** The columns a filter looks at; a RecordedEvent and a stored row both have them. */
export type FilterableEvent = { stream: string; type: string; agency: string; caseId: string | null };

export function matchesFilter(event: FilterableEvent, filter: EventFilter | undefined): boolean {
  if (!filter) return true;
  if (filter.streamPrefixes && !filter.streamPrefixes.some((prefix) => event.stream.startsWith(prefix))) return false;
  if (filter.types && !filter.types.includes(event.type)) return false;
  if (filter.agencies && !filter.agencies.includes(event.agency)) return false;
  if (filter.caseIds && (event.caseId === null || !filter.caseIds.includes(event.caseId))) return false;
  return true;
}
