// The backbone the hostile-input fuzzing runs against: the access matrix's (every service mounted
// as `nrm start` mounts them, its event store in reach, no rate limit, which would answer the
// fuzz's thousands of requests per caller 429 before they reach validation), not listening:
// requests go through app.inject.
import { startMatrixBackbone } from './matrix-backbone.ts';
import type { MatrixBackbone } from './matrix-backbone.ts';

export type FuzzBackbone = MatrixBackbone;

export function startFuzzBackbone(): Promise<FuzzBackbone> {
  return startMatrixBackbone({ label: 'fuzz', listen: false });
}
