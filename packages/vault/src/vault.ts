// The vault: seals personal fields under the data key of the person they are about, and
// `open` is the one way back to plaintext. Keeping a single door is what lets every read be
// recorded (the `onOpen` hook) and what makes erasure final: once a person's key is destroyed,
// no path through this module can read their envelopes, though the envelopes stay in the log.
import { createSecretKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { canonicalize, newId, SealedFieldSchema, UlidSchema, type JsonValue, type SealedField, type Ulid } from '@nrm/contracts';
import { InvalidVaultRequestError, KeyNotFoundError, SealedFieldTamperedError, SubjectErasedError, VaultError } from './errors.ts';
import { assertAccess, type AccessOptions, type FieldAccess, type OpenOptions } from './field-access.ts';
import { decryptField, encryptField } from './field-cipher.ts';
import type { Erasure, KeyStore, StoredDataKey } from './key-store.ts';
import { dataKeyPool } from './data-key-pool.ts';
import { DATA_KEY_BYTES, unwrapDataKey, wrapDataKey } from './key-wrapping.ts';
import { assertValidMasterKey, type MasterKeyConfig } from './master-key.ts';

export type VaultOptions = MasterKeyConfig & {
  keyStore: KeyStore;
  /** Earlier master keys by id, so data keys wrapped before a KEK rotation still unwrap. */
  retiredMasterKeys?: Readonly<Record<string, Uint8Array>>;
  /**
   * Called after each successful open, before the plaintext is returned. If it throws, the
   * open fails: a read that could not be recorded does not happen.
   */
  onOpen?: (access: FieldAccess) => void | Promise<void>;
};

/** `R` with the fields `K` replaced by their envelopes (absent optional fields stay absent). */
export type SealedRecord<R, K extends keyof R> = { [P in keyof R]: P extends K ? SealedField | Extract<R[P], undefined> : R[P] };
/** `R` with the envelopes of the fields `K` replaced by their plaintext. */
export type OpenedRecord<R, K extends keyof R> = { [P in keyof R]: P extends K ? JsonValue | Extract<R[P], undefined> : R[P] };

export type Vault = {
  seal(subject: Ulid, value: JsonValue, options: { field: string }): Promise<SealedField>;
  open(envelope: SealedField, options: OpenOptions): Promise<JsonValue>;
  /** Seals the named fields of a record, each under its own name. */
  sealFields<R extends Partial<Record<K, JsonValue>>, K extends keyof R & string>(
    subject: Ulid,
    record: R,
    fields: readonly K[],
  ): Promise<SealedRecord<R, K>>;
  /** Opens the named fields of a record through `open`, so each field read is recorded on its own. */
  openFields<R extends Partial<Record<K, SealedField>>, K extends keyof R & string>(
    record: R,
    fields: readonly K[],
    options: AccessOptions,
  ): Promise<OpenedRecord<R, K>>;
  /** Crypto-shreds the person: destroys their keys; their envelopes stay but never open again. */
  erase(subject: Ulid): Promise<Erasure>;
  isErased(subject: Ulid): Promise<boolean>;
};

export function createVault(options: VaultOptions): Vault {
  assertValidMasterKey(options);
  for (const [masterKeyId, masterKey] of Object.entries(options.retiredMasterKeys ?? {})) {
    assertValidMasterKey({ masterKeyId, masterKey });
  }
  const { keyStore, onOpen } = options;
  // KeyObjects made once: a cipher made from raw key bytes imports them anew each time (~20 µs).
  const kek = { id: options.masterKeyId, key: createSecretKey(Buffer.from(options.masterKey)) };
  const keks = new Map<string, KeyObject>([
    ...Object.entries(options.retiredMasterKeys ?? {}).map(([id, key]) => [id, createSecretKey(Buffer.from(key))] as const),
    [kek.id, kek.key],
  ]);

  const nextRawKey = dataKeyPool(DATA_KEY_BYTES);

  function newDataKey(subject: Ulid) {
    const raw = nextRawKey();
    try {
      return wrapDataKey(kek, subject, newId(), raw);
    } finally {
      raw.fill(0);
    }
  }

  function withDataKey<T>(stored: StoredDataKey, use: (dataKey: KeyObject) => T): T {
    const raw = unwrapDataKey(keks, stored);
    let dataKey: KeyObject;
    try {
      dataKey = createSecretKey(raw);
    } finally {
      // The raw bytes are zeroed at once; the KeyObject keeps its copy outside the JS heap, for
      // this one use (nothing holds on to it), and the wrapped copy is what persists.
      raw.fill(0);
    }
    return use(dataKey);
  }

  /**
   * Seals each [field, value] under the subject's active data key: one key lookup and one unwrap
   * for all of them (every field is the same person's). Checked before any key is made.
   */
  async function sealEach(subject: Ulid, entries: readonly (readonly [string, JsonValue])[]): Promise<SealedField[]> {
    assertSubject(subject);
    for (const [field] of entries) assertField(field);
    const plaintexts = entries.map(([field, value]) => plaintextOf(value, field));
    if (entries.length === 0) return [];
    const stored = await keyStore.activeKey(subject, () => newDataKey(subject));
    return withDataKey(stored, (dataKey) => entries.map(([field], at) => encryptField(dataKey, { subject, kid: stored.kid, field }, plaintexts[at]!)));
  }

  async function seal(subject: Ulid, value: JsonValue, { field }: { field: string }): Promise<SealedField> {
    return (await sealEach(subject, [[field, value]]))[0]!;
  }

  async function open(envelope: SealedField, { field, reader, purpose, subject: expected }: OpenOptions): Promise<JsonValue> {
    assertField(field);
    assertAccess(reader, purpose);
    if (expected !== undefined) assertSubject(expected);
    const parsed = SealedFieldSchema.safeParse(envelope);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'value'}: ${issue.message}`);
      throw new SealedFieldTamperedError(`field '${field}' does not hold a valid sealed envelope: ${problems.join('; ')}`);
    }
    const { subject, kid } = parsed.data;
    if (expected !== undefined && subject !== expected) {
      throw new SealedFieldTamperedError(`field '${field}' holds an envelope sealed for subject ${subject}, not for ${expected}`);
    }
    const stored = await keyStore.keyById(subject, kid);
    if (stored === undefined) {
      throw (await keyStore.isErased(subject)) ? new SubjectErasedError(subject) : new KeyNotFoundError(subject, kid);
    }
    const plaintext = withDataKey(stored, (dataKey) => decryptField(dataKey, { subject, kid, field }, parsed.data));
    const value = valueOf(plaintext, field);
    await onOpen?.({ subject, field, kid, reader, purpose });
    return value;
  }

  return {
    seal,
    open,
    async sealFields(subject, record, fields) {
      const present = fields.filter((field) => record[field] !== undefined);
      const envelopes = await sealEach(subject, present.map((field) => [field, record[field] as JsonValue] as const));
      const sealed: Record<string, unknown> = { ...record };
      present.forEach((field, at) => {
        sealed[field] = envelopes[at];
      });
      return sealed as SealedRecord<typeof record, (typeof fields)[number]>;
    },
    async openFields(record, fields, access) {
      const opened: Record<string, unknown> = { ...record };
      await Promise.all(
        fields.map(async (field) => {
          const envelope = record[field];
          if (envelope !== undefined) opened[field] = await open(envelope as SealedField, { ...access, field });
        }),
      );
      return opened as OpenedRecord<typeof record, (typeof fields)[number]>;
    },
    async erase(subject) {
      assertSubject(subject);
      return keyStore.erase(subject);
    },
    async isErased(subject) {
      assertSubject(subject);
      return keyStore.isErased(subject);
    },
  };
}

function assertSubject(subject: unknown): asserts subject is Ulid {
  // The value is not echoed: a caller who passes a name where the id belongs must not log it.
  if (!UlidSchema.safeParse(subject).success) throw new InvalidVaultRequestError('subject must be the ULID of a person');
}

function assertField(field: unknown): asserts field is string {
  if (typeof field !== 'string' || field === '') throw new InvalidVaultRequestError('field must be a non-empty string');
}

/** Values are sealed as JSON text, so structured values and strings come back as they went in. */
function plaintextOf(value: JsonValue, field: string): string {
  try {
    return canonicalize(value);
  } catch (error) {
    throw new InvalidVaultRequestError(`field '${field}': the value has no JSON form (${(error as Error).message})`);
  }
}

function valueOf(plaintext: string, field: string): JsonValue {
  try {
    return JSON.parse(plaintext) as JsonValue;
  } catch {
    // It authenticated, so nobody altered it: whatever sealed it did not follow this format.
    throw new VaultError(`field '${field}' authenticates but its plaintext is not JSON`);
  }
}
