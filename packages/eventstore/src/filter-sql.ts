// Translates an EventFilter into a SQL condition shared by the SQLite and PostgreSQL adapters;
// `placeholder(n)` gives each dialect its parameter syntax ('?' or '$n').
import type { EventFilter } from './port.ts';

export function filterCondition(filter: EventFilter | undefined, placeholder: (index: number) => string, firstIndex: number): { sql: string; params: string[] } {
  const clauses: string[] = [];
  const params: string[] = [];
  const anyOf = (column: string, values: readonly string[], prefix: boolean) => {
    if (values.length === 0) {
      clauses.push('1 = 0');
      return;
    }
    const parts = values.map((value) => {
      params.push(value);
      const param = placeholder(firstIndex + params.length - 1);
      // A prefix compares the column's first characters, exactly: SQLite's LIKE would fold ASCII
      // case (and PostgreSQL's would not), where the other adapters compare with startsWith.
      return prefix ? `substr(${column}, 1, ${[...value].length}) = ${param}` : `${column} = ${param}`;
    });
    clauses.push(`(${parts.join(' OR ')})`);
  };
  if (filter?.streamPrefixes) anyOf('stream', filter.streamPrefixes, true);
  if (filter?.types) anyOf('type', filter.types, false);
  if (filter?.agencies) anyOf('agency', filter.agencies, false);
  if (filter?.caseIds) anyOf('case_id', filter.caseIds, false);
  return { sql: clauses.length === 0 ? '' : ` AND ${clauses.join(' AND ')}`, params };
}
