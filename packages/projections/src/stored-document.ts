// The row shape both adapters store a document as: placement columns for the indexes, the tags
// again as JSON so a read needs no second query, and the document as its exact JSON text.
import type { JsonValue } from '@nrm/contracts';
import type { ProjectionDocument } from './projection-store.ts';

export type DocumentRow = { key: string; partition: string; sort_key: string; tags: string; doc: string };

export const DOCUMENT_COLUMNS = 'key, partition, sort_key, tags, doc';

export function documentFromRow(row: DocumentRow): ProjectionDocument {
  return {
    key: row.key,
    partition: row.partition,
    sortKey: row.sort_key,
    tags: JSON.parse(row.tags) as string[],
    doc: JSON.parse(row.doc) as JsonValue,
  };
}
