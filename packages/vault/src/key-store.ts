// The KeyStore port: where per-person data keys live between uses. Adapters only ever see
// wrapped keys (the vault wraps them under the master key before handing them over), so a
// dump of any store reveals nothing without the KEK. Every adapter passes the same
// conformance suite (./testing/key-store-conformance.ts), which checks each promise made here.
import type { Ulid } from '@nrm/contracts';

/** A data key as the vault hands it to a store to keep: wrapped, never raw. */
export type NewDataKey = {
  kid: string;
  /** The id of the master key (KEK) it is wrapped under, so the KEK can rotate. */
  kekId: string;
  wrapped: Uint8Array;
};

export type StoredDataKey = NewDataKey & {
  subject: Ulid;
  /** ISO 8601 time the store kept it. */
  createdAt: string;
};

export type Erasure = {
  subject: Ulid;
  /** ISO 8601 time of the first erasure; erasing again keeps it. */
  erasedAt: string;
  /** How many keys this call destroyed (0 when the subject was already erased or never had one). */
  keysDestroyed: number;
};

export interface KeyStore {
  readonly name: string;
  /**
   * The subject's active key. When it has none, keeps the key `create` makes: callers racing
   * on a new subject (in this process or another on the same storage) all get the one key kept.
   * Throws SubjectErasedError once the subject is erased, so no new key can undo an erasure.
   */
  activeKey(subject: Ulid, create: () => NewDataKey): Promise<StoredDataKey>;
  /** The subject's key `kid`, or undefined when there is none (never was, or erased). */
  keyById(subject: Ulid, kid: string): Promise<StoredDataKey | undefined>;
  /** Destroys every key of the subject and records the erasure; idempotent. */
  erase(subject: Ulid): Promise<Erasure>;
  isErased(subject: Ulid): Promise<boolean>;
  /** Releases what the store opened itself; a database handed in by the caller stays open. */
  close(): Promise<void>;
}
