// Translates an EventFilter into a SQL condition shared by the SQLite and PostgreSQL adapters;
// `placeholder(n)` gives each dialect its parameter syntax ('?' or '$n').
import type { EventFilter } from './port.ts';

export function filterCondition(filter: EventFilter | undefined, placeholder: (index: number) => string, firstIndex: number): { sql: string; params: string[] } {
  const clauses: string[] = [];
  const params: string[] = [];
  const anyOf = (column: string, values: readonly string[], like: boolean) => {
    if (values.length === 0) {
      clauses.push('1 = 0');
      return;
    }
    const parts = values.map((value) => {
      params.push(like ? `${value.replace(/[\\%_]/g, (char) => `\\${char}`)}%` : value);
      return like ? `${column} LIKE ${placeholder(firstIndex + params.length - 1)} ESCAPE '\\'` : `${column} = ${placeholder(firstIndex + params.length - 1)}`;
    });
    clauses.push(`(${parts.join(' OR ')})`);
  };
  if (filter?.streamPrefixes) anyOf('stream', filter.streamPrefixes, true);
  if (filter?.types) anyOf('type', filter.types, false);
  if (filter?.agencies) anyOf('agency', filter.agencies, false);
  if (filter?.caseIds) anyOf('case_id', filter.caseIds, false);
  return { sql: clauses.length === 0 ? '' : ` AND ${clauses.join(' AND ')}`, params };
}
