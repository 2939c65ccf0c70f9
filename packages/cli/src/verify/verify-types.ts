// What `verifyBackbone` takes and reports; `nrm verify` prints it.
export type DiscrepancyKind =
  | 'chain-broken'
  | 'store-unreadable'
  | 'missing-from-archive'
  | 'differs-from-archive'
  | 'missing-from-store'
  | 'archive-hash-mismatch'
  | 'archive-sequence-gap'
  | 'archive-unreadable';

export type Discrepancy = {
  kind: DiscrepancyKind;
  /** The store it was found in (password hidden); absent for the archive's own checks. */
  store?: string;
  stream?: string;
  revision?: number;
  position?: number;
  /** Where the archive holds the event. */
  sequence?: number;
  eventId?: string;
  /** What is wrong, in words. */
  problem: string;
  /** How many discrepancies of this kind (in this store) were found; this one is the first. */
  count: number;
};

export type VerifyProgress = { step: string; done: number; total: number };

export type BackboneVerification = {
  ok: boolean;
  stores: { url: string; events: number; streams: number }[];
  /** `ofOtherAgencies`: archived events, by agency, that no given store holds events of (not compared). */
  archive: { location: string; events: number; ofOtherAgencies: Record<string, number> };
  discrepancies: Discrepancy[];
  ms: number;
};

export type VerifyBackboneOptions = {
  /** Event store URLs, as `--store` takes them. */
  stores: readonly string[];
  /** Where the audit archive lives: the audit service's store URL (same SQLite file or PostgreSQL schema). */
  archive: string;
  onProgress?: (progress: VerifyProgress) => void;
};

/** A store or archive that cannot be opened: nothing was verified. */
export class VerifyTargetError extends Error {
  override readonly name = 'VerifyTargetError';
}
