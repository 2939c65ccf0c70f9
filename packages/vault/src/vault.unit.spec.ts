import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { newId, SealedFieldSchema, type SealedField } from '@nrm/contracts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  InvalidMasterKeyError,
  InvalidVaultRequestError,
  KeyNotFoundError,
  SealedFieldTamperedError,
  SubjectErasedError,
} from './errors.ts';
import { decryptField } from './field-cipher.ts';
import type { KeyStore } from './key-store.ts';
import { unwrapDataKey } from './key-wrapping.ts';
import { createSqliteKeyStore } from './sqlite-key-store.ts';
import type { FieldAccess } from './field-access.ts';
import { createVault, type Vault, type VaultOptions } from './vault.ts';

const reader = { actor: 'officer-7', agency: 'protection' } as const;
const purpose = 'arrange a shelter place';
const access = { reader, purpose };
const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

let keyStore: KeyStore;
let masterKey: Buffer;
let vault: Vault;
let accesses: FieldAccess[];

function vaultWith(options: Partial<VaultOptions> = {}): Vault {
  return createVault({ keyStore, masterKey, masterKeyId: 'kek-test', onOpen: (a) => void accesses.push(a), ...options });
}

beforeEach(() => {
  keyStore = createSqliteKeyStore({ path: ':memory:' });
  masterKey = randomBytes(32);
  accesses = [];
  vault = vaultWith();
});
afterEach(async () => {
  await keyStore.close();
});

/** The envelope with one character of `part` at `index` replaced by another base64url character. */
function flip(envelope: SealedField, part: 'iv' | 'ct' | 'tag', index: number): SealedField {
  const text = envelope[part];
  const replacement = BASE64URL[(BASE64URL.indexOf(text[index]!) + 1) % BASE64URL.length]!;
  return { ...envelope, [part]: text.slice(0, index) + replacement + text.slice(index + 1) };
}

describe('seal and open', () => {
  it('round-trips a string through an envelope of the contracts that does not contain it', async () => {
    const subject = newId();
    const envelope = await vault.seal(subject, 'Nguyễn Thị Mai', { field: 'fullName' });
    expect(SealedFieldSchema.parse(envelope)).toEqual(envelope);
    expect(envelope).toMatchObject({ sealed: 'nrm.v1', subject, alg: 'A256GCM' });
    expect(JSON.stringify(envelope)).not.toContain('Mai');
    expect(await vault.open(envelope, { field: 'fullName', ...access })).toBe('Nguyễn Thị Mai');
  });

  it('round-trips structured values as they went in', async () => {
    const address = { street: '12 Hàng Bạc', district: 'Hoàn Kiếm', geo: [21.034, 105.852], verified: false, note: null };
    const envelope = await vault.seal(newId(), address, { field: 'address' });
    expect(await vault.open(envelope, { field: 'address', ...access })).toEqual(address);
  });

  it('uses a fresh IV each time, so equal values do not give equal envelopes', async () => {
    const subject = newId();
    const [a, b] = await Promise.all([1, 2].map(() => vault.seal(subject, '1990-02-03', { field: 'dateOfBirth' })));
    expect(a!.iv).not.toBe(b!.iv);
    expect(a!.ct).not.toBe(b!.ct);
  });

  it("seals all of a person's fields under one key, and each person under their own", async () => {
    const [mai, lan] = [newId(), newId()];
    const first = await vault.seal(mai, 'Mai', { field: 'fullName' });
    const second = await vault.seal(mai, '0912345678', { field: 'phone' });
    const other = await vault.seal(lan, 'Lan', { field: 'fullName' });
    expect(second.kid).toBe(first.kid);
    expect(other.kid).not.toBe(first.kid);
  });

  it('creates one key when 20 first seals for a person run at once', async () => {
    const subject = newId();
    const envelopes = await Promise.all(Array.from({ length: 20 }, (_, i) => vault.seal(subject, `v${i}`, { field: 'freeText' })));
    expect(new Set(envelopes.map((envelope) => envelope.kid)).size).toBe(1);
    expect((await vault.erase(subject)).keysDestroyed).toBe(1);
  });
});

describe('tampering', () => {
  for (const part of ['iv', 'ct', 'tag'] as const) {
    it(`refuses an envelope with any one character of ${part} changed`, async () => {
      const envelope = await vault.seal(newId(), 'Trần Văn Nam', { field: 'fullName' });
      for (let index = 0; index < envelope[part].length; index++) {
        await expect(vault.open(flip(envelope, part, index), { field: 'fullName', ...access })).rejects.toBeInstanceOf(
          SealedFieldTamperedError,
        );
      }
      expect(accesses).toEqual([]);
    });
  }

  it('refuses an envelope opened as another field', async () => {
    const envelope = await vault.seal(newId(), '1990-02-03', { field: 'dateOfBirth' });
    await expect(vault.open(envelope, { field: 'fullName', ...access })).rejects.toThrow(SealedFieldTamperedError);
  });

  it("refuses one person's envelope relabelled as another's", async () => {
    const [mai, lan] = [newId(), newId()];
    const maiName = await vault.seal(mai, 'Mai', { field: 'fullName' });
    const lanName = await vault.seal(lan, 'Lan', { field: 'fullName' });
    const relabelled = { ...maiName, subject: lan, kid: lanName.kid };
    await expect(vault.open(relabelled, { field: 'fullName', ...access })).rejects.toBeInstanceOf(SealedFieldTamperedError);
    await expect(vault.open({ ...maiName, subject: lan }, { field: 'fullName', ...access })).rejects.toBeInstanceOf(KeyNotFoundError);
  });

  it('refuses an envelope about someone other than the person the caller expects', async () => {
    const [mai, lan] = [newId(), newId()];
    const maiName = await vault.seal(mai, 'Mai', { field: 'fullName' });
    await expect(vault.open(maiName, { field: 'fullName', ...access, subject: lan })).rejects.toBeInstanceOf(SealedFieldTamperedError);
    expect(await vault.open(maiName, { field: 'fullName', ...access, subject: mai })).toBe('Mai');
  });

  it('refuses values that are not envelopes of this format', async () => {
    const envelope = await vault.seal(newId(), 'Mai', { field: 'fullName' });
    const notEnvelopes = [{ ...envelope, alg: 'A128GCM' }, { ...envelope, sealed: 'nrm.v2' }, { ...envelope, iv: 'short' }, 'Mai', null];
    for (const value of notEnvelopes) {
      await expect(vault.open(value as SealedField, { field: 'fullName', ...access })).rejects.toBeInstanceOf(SealedFieldTamperedError);
    }
  });

  it('reports a kid the person never had as KeyNotFoundError', async () => {
    const envelope = await vault.seal(newId(), 'Mai', { field: 'fullName' });
    await expect(vault.open({ ...envelope, kid: newId() }, { field: 'fullName', ...access })).rejects.toBeInstanceOf(KeyNotFoundError);
  });
});

describe('erasure', () => {
  it("makes a person's envelopes unopenable while the envelopes themselves stay valid", async () => {
    const [gone, kept] = [newId(), newId()];
    const envelope = await vault.seal(gone, 'Mai', { field: 'fullName' });
    const other = await vault.seal(kept, 'Lan', { field: 'fullName' });
    const erasure = await vault.erase(gone);
    expect(erasure).toMatchObject({ subject: gone, keysDestroyed: 1 });
    expect(await vault.isErased(gone)).toBe(true);

    const opening = vault.open(envelope, { field: 'fullName', ...access });
    await expect(opening).rejects.toBeInstanceOf(SubjectErasedError);
    await expect(opening).rejects.toThrow(`subject ${gone} was erased`);
    expect(SealedFieldSchema.safeParse(envelope).success).toBe(true);
    expect(await vault.open(other, { field: 'fullName', ...access })).toBe('Lan');
  });

  it('refuses to seal anything new about an erased person', async () => {
    const subject = newId();
    await vault.erase(subject);
    await expect(vault.seal(subject, 'Mai', { field: 'fullName' })).rejects.toBeInstanceOf(SubjectErasedError);
  });
});

describe('onOpen', () => {
  it('is told of every successful open: who, what, about whom and why', async () => {
    const subject = newId();
    const envelope = await vault.seal(subject, 'Mai', { field: 'fullName' });
    await vault.open(envelope, { field: 'fullName', ...access });
    expect(accesses).toEqual([{ subject, field: 'fullName', kid: envelope.kid, reader, purpose }]);
  });

  it('withholds the plaintext when the read cannot be recorded', async () => {
    const recording = createVault({
      keyStore,
      masterKey,
      masterKeyId: 'kek-test',
      onOpen: async () => {
        throw new Error('access log unavailable');
      },
    });
    const envelope = await recording.seal(newId(), 'Mai', { field: 'fullName' });
    await expect(recording.open(envelope, { field: 'fullName', ...access })).rejects.toThrow('access log unavailable');
  });
});

describe('requests', () => {
  it('refuses malformed seal requests with InvalidVaultRequestError', async () => {
    await expect(vault.seal('not-a-ulid', 'Mai', { field: 'fullName' })).rejects.toBeInstanceOf(InvalidVaultRequestError);
    await expect(vault.seal(newId(), 'Mai', { field: '' })).rejects.toBeInstanceOf(InvalidVaultRequestError);
    await expect(vault.seal(newId(), Number.NaN, { field: 'freeText' })).rejects.toBeInstanceOf(InvalidVaultRequestError);
    await expect(vault.seal(newId(), undefined as never, { field: 'freeText' })).rejects.toBeInstanceOf(InvalidVaultRequestError);
  });

  it('refuses an open that does not say who reads and why', async () => {
    const envelope = await vault.seal(newId(), 'Mai', { field: 'fullName' });
    const invalid = [
      { field: 'fullName', reader, purpose: ' ' },
      { field: 'fullName', reader: { actor: '', agency: 'protection' }, purpose },
      { field: 'fullName', reader: { actor: 'x', agency: 'somewhere' }, purpose },
    ];
    for (const options of invalid) {
      await expect(vault.open(envelope, options as never)).rejects.toBeInstanceOf(InvalidVaultRequestError);
    }
    expect(accesses).toEqual([]);
  });
});

describe('master key', () => {
  it('refuses a master key that is not 32 bytes, or an unusable id', () => {
    expect(() => createVault({ keyStore, masterKey: randomBytes(31), masterKeyId: 'kek' })).toThrow(InvalidMasterKeyError);
    expect(() => createVault({ keyStore, masterKey, masterKeyId: '' })).toThrow(InvalidMasterKeyError);
    expect(() => createVault({ keyStore, masterKey, masterKeyId: 'k', retiredMasterKeys: { old: randomBytes(16) } })).toThrow(
      InvalidMasterKeyError,
    );
  });

  it('fails with InvalidMasterKeyError when the stored keys were wrapped under another master key', async () => {
    const envelope = await vault.seal(newId(), 'Mai', { field: 'fullName' });
    const otherKey = createVault({ keyStore, masterKey: randomBytes(32), masterKeyId: 'kek-test' });
    await expect(otherKey.open(envelope, { field: 'fullName', ...access })).rejects.toBeInstanceOf(InvalidMasterKeyError);
    const otherId = createVault({ keyStore, masterKey: randomBytes(32), masterKeyId: 'kek-new' });
    await expect(otherId.open(envelope, { field: 'fullName', ...access })).rejects.toThrow("master key 'kek-test'");
  });

  it('still opens data keys wrapped before a rotation when given the retired master key', async () => {
    const before = newId();
    const envelope = await vault.seal(before, 'Mai', { field: 'fullName' });
    const rotated = createVault({
      keyStore,
      masterKey: randomBytes(32),
      masterKeyId: 'kek-2',
      retiredMasterKeys: { 'kek-test': masterKey },
    });
    expect(await rotated.open(envelope, { field: 'fullName', ...access })).toBe('Mai');
    const after = await rotated.seal(newId(), 'Lan', { field: 'fullName' });
    expect((await keyStore.keyById(after.subject, after.kid))?.kekId).toBe('kek-2');
    await expect(vault.open(after, { field: 'fullName', ...access })).rejects.toBeInstanceOf(InvalidMasterKeyError);
  });
});

describe('sealFields and openFields', () => {
  type Person = { caseId: string; fullName: string; dateOfBirth?: string; address?: { city: string } };

  it('seals the named fields of a record, leaves the rest, and opens them back', async () => {
    const subject = newId();
    const person: Person = { caseId: 'CASE-1', fullName: 'Mai', address: { city: 'Lào Cai' } };
    const sealed = await vault.sealFields(subject, person, ['fullName', 'dateOfBirth', 'address']);
    expect(sealed.caseId).toBe('CASE-1');
    expect(SealedFieldSchema.safeParse(sealed.fullName).success).toBe(true);
    expect(SealedFieldSchema.safeParse(sealed.address).success).toBe(true);
    expect('dateOfBirth' in sealed).toBe(false);
    expect(JSON.stringify(sealed)).not.toContain('Lào Cai');

    const opened = await vault.openFields(sealed, ['fullName', 'dateOfBirth', 'address'], access);
    expect(opened).toEqual(person);
    expect(accesses.map((a) => a.field).sort()).toEqual(['address', 'fullName']);
  });

  it('binds each envelope to its field name, so swapping two fields is caught', async () => {
    const sealed = await vault.sealFields(newId(), { fullName: 'Mai', dateOfBirth: '1990-02-03' }, ['fullName', 'dateOfBirth']);
    const swapped = { fullName: sealed.dateOfBirth, dateOfBirth: sealed.fullName };
    await expect(vault.openFields(swapped, ['fullName', 'dateOfBirth'], access)).rejects.toBeInstanceOf(SealedFieldTamperedError);
  });
});

describe('data keys at rest', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nrm-vault-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('are stored wrapped: neither the raw data key nor the master key is anywhere in the database', async () => {
    const path = join(dir, 'service.db');
    const fileStore = createSqliteKeyStore({ path });
    const fileVault = createVault({ keyStore: fileStore, masterKey, masterKeyId: 'kek-test' });
    const subject = newId();
    const envelope = await fileVault.seal(subject, 'Mai', { field: 'fullName' });

    const inspector = new DatabaseSync(path, { readOnly: true });
    const rows = inspector.prepare('SELECT * FROM vault_keys').all() as { subject: string; kid: string; kek_id: string; wrapped: Uint8Array }[];
    inspector.close();
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    const rawKey = unwrapDataKey(new Map([['kek-test', masterKey]]), {
      subject,
      kid: row.kid,
      kekId: row.kek_id,
      wrapped: row.wrapped,
      createdAt: '',
    });
    // The unwrapped key really is the one that sealed the field, so its absence below means something.
    expect(decryptField(rawKey, { subject, kid: envelope.kid, field: 'fullName' }, envelope)).toBe('"Mai"');
    expect(Buffer.from(row.wrapped).includes(rawKey)).toBe(false);
    for (const name of await readdir(dir)) {
      const bytes = await readFile(join(dir, name));
      expect(bytes.includes(rawKey)).toBe(false);
      expect(bytes.includes(masterKey)).toBe(false);
    }
    await fileStore.close();
  });
});
