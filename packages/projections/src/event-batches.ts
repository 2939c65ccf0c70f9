// Projections read their events in batches of what has arrived (batchesOf, @nrm/eventstore), of
// at most a batch size checked here.
import { InvalidProjectionRequestError } from './errors.ts';

export function assertBatchSize(batchSize: number): number {
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000) {
    throw new InvalidProjectionRequestError(`batchSize must be an integer from 1 to 10000; got ${batchSize}`);
  }
  return batchSize;
}
