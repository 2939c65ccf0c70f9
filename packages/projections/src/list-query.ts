// Keyset paging shared by the adapters. A cursor names the last item of a page (its sortKey and
// key); the next page starts strictly after it, so documents inserted meanwhile neither shift
// the pages (as an OFFSET would) nor make an item appear twice.
import { InvalidProjectionRequestError } from './errors.ts';
import { assertPartition, assertTag } from './document-validation.ts';
import type { ListOptions, ProjectionDocument } from './projection-store.ts';

export const MAX_LIST_LIMIT = 500;

export type ListQuery = {
  partition: string;
  tag: string | undefined;
  after: { sortKey: string; key: string } | undefined;
  limit: number;
  order: 'asc' | 'desc';
};

export function listQuery(options: ListOptions): ListQuery {
  assertPartition(options.partition);
  if (options.tag !== undefined) assertTag(options.tag);
  if (!Number.isInteger(options.limit) || options.limit < 1 || options.limit > MAX_LIST_LIMIT) {
    throw new InvalidProjectionRequestError(`limit must be an integer from 1 to ${MAX_LIST_LIMIT}; got ${options.limit}`);
  }
  const order = options.order ?? 'asc';
  if (order !== 'asc' && order !== 'desc') throw new InvalidProjectionRequestError(`order must be 'asc' or 'desc'; got ${JSON.stringify(order)}`);
  return {
    partition: options.partition,
    tag: options.tag,
    after: options.after === undefined ? undefined : decodeCursor(options.after),
    limit: options.limit,
    order,
  };
}

/** Adapters fetch `limit + 1` rows; the extra row only says whether another page exists. */
export function pageOf(rows: ProjectionDocument[], limit: number): { items: ProjectionDocument[]; nextCursor: string | null } {
  if (rows.length <= limit) return { items: rows, nextCursor: null };
  const items = rows.slice(0, limit);
  const last = items[items.length - 1]!;
  return { items, nextCursor: encodeCursor(last.sortKey, last.key) };
}

export function encodeCursor(sortKey: string, key: string): string {
  return Buffer.from(JSON.stringify([sortKey, key]), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): { sortKey: string; key: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  if (!Array.isArray(parsed) || parsed.length !== 2 || typeof parsed[0] !== 'string' || typeof parsed[1] !== 'string') {
    throw new InvalidProjectionRequestError('cursor is not one this store issued');
  }
  return { sortKey: parsed[0], key: parsed[1] };
}
