// Typed errors of the vault and its key stores. They share one base class so the HTTP edge can
// map the whole family once; none of their messages ever contains plaintext or key material.

export class VaultError extends Error {
  override readonly name: string = 'VaultError';
}

/** The person was erased (crypto-shredded): their data key is gone, so their envelopes stay sealed forever. */
export class SubjectErasedError extends VaultError {
  override readonly name = 'SubjectErasedError';
  readonly subject: string;

  constructor(subject: string) {
    super(`subject ${subject} was erased: their data key is destroyed and their personal data can no longer be opened or sealed`);
    this.subject = subject;
  }
}

/** The envelope names a key its subject never had (or a key store that lost it): not an erasure. */
export class KeyNotFoundError extends VaultError {
  override readonly name = 'KeyNotFoundError';
  readonly subject: string;
  readonly kid: string;

  constructor(subject: string, kid: string) {
    super(`subject ${subject} has no data key ${kid} in this key store`);
    this.subject = subject;
    this.kid = kid;
  }
}

/**
 * The envelope does not authenticate: it was altered, it is malformed, or it is being opened
 * as another field or person than the one it was sealed for. AES-GCM cannot tell these apart,
 * and that is the point: a swapped envelope looks exactly like a forged one.
 */
export class SealedFieldTamperedError extends VaultError {
  override readonly name = 'SealedFieldTamperedError';
}

/** The master key (KEK) is missing, malformed, or not the one the stored data keys were wrapped under. */
export class InvalidMasterKeyError extends VaultError {
  override readonly name = 'InvalidMasterKeyError';
}

/** A caller's mistake: a subject that is not a ULID, an empty field name or purpose, a value with no JSON form. */
export class InvalidVaultRequestError extends VaultError {
  override readonly name = 'InvalidVaultRequestError';
}

export class KeyStoreClosedError extends VaultError {
  override readonly name = 'KeyStoreClosedError';

  constructor(store: string) {
    super(`the ${store} key store is closed`);
  }
}
