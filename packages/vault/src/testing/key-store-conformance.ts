// The one conformance suite of the KeyStore port: every adapter runs it against real storage,
// so "one key per subject under concurrency" and "no key after erasure" are checked
// everywhere, not assumed. A harness opens any number of stores on one shared storage, which
// is how two service instances (or two connections) racing on a subject are reproduced.
import { randomBytes } from 'node:crypto';
import { newId, type Ulid } from '@nrm/contracts';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { KeyStoreClosedError, SubjectErasedError } from '../errors.ts';
import type { KeyStore, NewDataKey } from '../key-store.ts';

export type KeyStoreHarness = {
  /** A new store (own connection or pool) on the harness's storage; all of them share it. */
  openStore(options?: { clock?: () => Date }): Promise<KeyStore>;
  /** Removes the storage once the suite is done. */
  dispose(): Promise<void>;
};

const FIXED_TIME = new Date('2031-04-05T06:07:08.009Z');

function draftKey(): NewDataKey {
  return { kid: newId(), kekId: 'kek-conformance', wrapped: randomBytes(60) };
}

/** Counts the keys `create` had to make, so a test can tell "created" from "found". */
function countingCreate() {
  const made: NewDataKey[] = [];
  return {
    made,
    create: () => {
      const key = draftKey();
      made.push(key);
      return key;
    },
  };
}

export function describeKeyStoreConformance(name: string, setup: () => Promise<KeyStoreHarness>): void {
  describe(`KeyStore conformance: ${name}`, () => {
    let harness: KeyStoreHarness;
    const opened: KeyStore[] = [];

    async function openStore(options?: { clock?: () => Date }): Promise<KeyStore> {
      const store = await harness.openStore(options ?? { clock: () => FIXED_TIME });
      opened.push(store);
      return store;
    }

    beforeAll(async () => {
      harness = await setup();
    });
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((store) => store.close()));
    });
    afterAll(async () => {
      await harness?.dispose();
    });

    describe('activeKey', () => {
      it('keeps the key create makes for a new subject, exactly as given', async () => {
        const store = await openStore();
        const subject = newId();
        const { made, create } = countingCreate();
        const key = await store.activeKey(subject, create);
        expect(made).toHaveLength(1);
        expect(key.subject).toBe(subject);
        expect(key.kid).toBe(made[0]!.kid);
        expect(key.kekId).toBe('kek-conformance');
        expect(Buffer.from(key.wrapped).equals(Buffer.from(made[0]!.wrapped))).toBe(true);
        expect(key.createdAt).toBe(FIXED_TIME.toISOString());
      });

      it('returns the stored key on later calls without creating another', async () => {
        const store = await openStore();
        const subject = newId();
        const first = await store.activeKey(subject, draftKey);
        const { made, create } = countingCreate();
        const again = await store.activeKey(subject, create);
        expect(made).toHaveLength(0);
        expect(again.kid).toBe(first.kid);
        expect(Buffer.from(again.wrapped).equals(Buffer.from(first.wrapped))).toBe(true);
      });

      it('gives each subject its own key', async () => {
        const store = await openStore();
        const [a, b] = [newId(), newId()];
        const keyA = await store.activeKey(a, draftKey);
        const keyB = await store.activeKey(b, draftKey);
        expect(keyA.kid).not.toBe(keyB.kid);
        expect((await store.activeKey(a, draftKey)).kid).toBe(keyA.kid);
      });

      it('ends with one key when 20 callers on two stores race on a new subject', async () => {
        const [one, two] = [await openStore(), await openStore()];
        const subject = newId();
        const keys = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? one : two).activeKey(subject, draftKey)));
        expect(new Set(keys.map((key) => key.kid)).size).toBe(1);
        expect((await one.erase(subject)).keysDestroyed).toBe(1);
      });

      it('keeps nothing when create throws, and creates on the next call', async () => {
        const store = await openStore();
        const subject = newId();
        await expect(
          store.activeKey(subject, () => {
            throw new Error('no randomness today');
          }),
        ).rejects.toThrow('no randomness today');
        const { made, create } = countingCreate();
        const key = await store.activeKey(subject, create);
        expect(made).toHaveLength(1);
        expect(key.kid).toBe(made[0]!.kid);
      });
    });

    describe('keyById', () => {
      it('finds a key by subject and kid, and nothing for another kid or another subject', async () => {
        const store = await openStore();
        const [a, b] = [newId(), newId()];
        const key = await store.activeKey(a, draftKey);
        await store.activeKey(b, draftKey);
        const found = await store.keyById(a, key.kid);
        expect(found?.kid).toBe(key.kid);
        expect(found?.subject).toBe(a);
        expect(Buffer.from(found!.wrapped).equals(Buffer.from(key.wrapped))).toBe(true);
        expect(await store.keyById(a, newId())).toBeUndefined();
        expect(await store.keyById(b, key.kid)).toBeUndefined();
      });
    });

    describe('erase', () => {
      it('destroys the keys and records when', async () => {
        const store = await openStore();
        const subject = newId();
        const key = await store.activeKey(subject, draftKey);
        expect(await store.isErased(subject)).toBe(false);
        const erasure = await store.erase(subject);
        expect(erasure).toEqual({ subject, erasedAt: FIXED_TIME.toISOString(), keysDestroyed: 1 });
        expect(await store.keyById(subject, key.kid)).toBeUndefined();
        expect(await store.isErased(subject)).toBe(true);
      });

      it('refuses a new key afterwards without asking create for one', async () => {
        const store = await openStore();
        const subject = newId();
        await store.activeKey(subject, draftKey);
        await store.erase(subject);
        const { made, create } = countingCreate();
        await expect(store.activeKey(subject, create)).rejects.toBeInstanceOf(SubjectErasedError);
        expect(made).toHaveLength(0);
      });

      it('also erases a subject that never had a key, so none can be made later', async () => {
        const store = await openStore();
        const subject = newId();
        expect((await store.erase(subject)).keysDestroyed).toBe(0);
        await expect(store.activeKey(subject, draftKey)).rejects.toBeInstanceOf(SubjectErasedError);
      });

      it('is idempotent and keeps the time of the first erasure', async () => {
        const subject = newId();
        const early = await openStore({ clock: () => new Date('2030-01-01T00:00:00.000Z') });
        await early.activeKey(subject, draftKey);
        await early.erase(subject);
        const late = await openStore({ clock: () => new Date('2035-01-01T00:00:00.000Z') });
        expect(await late.erase(subject)).toEqual({ subject, erasedAt: '2030-01-01T00:00:00.000Z', keysDestroyed: 0 });
      });

      it('leaves other subjects alone', async () => {
        const store = await openStore();
        const [gone, kept] = [newId(), newId()];
        await store.activeKey(gone, draftKey);
        const key = await store.activeKey(kept, draftKey);
        await store.erase(gone);
        expect(await store.isErased(kept)).toBe(false);
        expect((await store.keyById(kept, key.kid))?.kid).toBe(key.kid);
      });

      it('leaves no key behind when it races with callers creating the first key', async () => {
        const [one, two] = [await openStore(), await openStore()];
        const subject = newId();
        const [outcomes] = await Promise.all([
          Promise.allSettled(Array.from({ length: 10 }, () => one.activeKey(subject, draftKey))),
          two.erase(subject),
        ]);
        for (const outcome of outcomes) {
          if (outcome.status === 'rejected') expect(outcome.reason).toBeInstanceOf(SubjectErasedError);
          else expect(await two.keyById(subject, outcome.value.kid)).toBeUndefined();
        }
        await expect(two.activeKey(subject, draftKey)).rejects.toBeInstanceOf(SubjectErasedError);
      });
    });

    describe('storage', () => {
      it('keeps keys and erasures across reopening', async () => {
        const [kept, gone] = [newId(), newId()];
        const first = await openStore();
        const key = await first.activeKey(kept, draftKey);
        await first.erase(gone);
        await first.close();
        const second = await openStore();
        expect((await second.keyById(kept, key.kid))?.kid).toBe(key.kid);
        expect((await second.activeKey(kept, draftKey)).kid).toBe(key.kid);
        expect(await second.isErased(gone)).toBe(true);
      });

      it('shows an erasure made through one store to every other store on the same storage', async () => {
        const [one, two] = [await openStore(), await openStore()];
        const subject = newId();
        const key = await one.activeKey(subject, draftKey);
        await two.erase(subject);
        expect(await one.keyById(subject, key.kid)).toBeUndefined();
        await expect(one.activeKey(subject, draftKey)).rejects.toBeInstanceOf(SubjectErasedError);
      });

      it('refuses every call once closed, and closing twice is harmless', async () => {
        const store = await openStore();
        const subject: Ulid = newId();
        await store.close();
        await store.close();
        await expect(store.activeKey(subject, draftKey)).rejects.toBeInstanceOf(KeyStoreClosedError);
        await expect(store.keyById(subject, 'k')).rejects.toBeInstanceOf(KeyStoreClosedError);
        await expect(store.erase(subject)).rejects.toBeInstanceOf(KeyStoreClosedError);
        await expect(store.isErased(subject)).rejects.toBeInstanceOf(KeyStoreClosedError);
      });
    });
  });
}
