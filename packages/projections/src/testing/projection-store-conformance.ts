// The one conformance suite of the ProjectionStore port. Every adapter runs it against real
// storage (sqlite on a file, postgres in a schema of its own), so keyset paging under concurrent
// inserts, tag lists, code-point order and "checkpoint commits with the documents or not at all"
// are proven on each store rather than assumed.
import { describe, expect, it } from 'vitest';
import type { JsonValue } from '@nrm/contracts';
import { InvalidProjectionRequestError, ProjectionStoreClosedError } from '../errors.ts';
import type { DocumentPlacement, ListOptions, ProjectionDocument, ProjectionStore } from '../projection-store.ts';

export type ProjectionStoreFixture = {
  store: ProjectionStore;
  /** Opens another store on the same storage, as a restarted process would. */
  reopen(): Promise<ProjectionStore>;
  /** Closes whatever the fixture opened and removes the storage. */
  cleanup(): Promise<void>;
};

const INBOX = 'conformance.inbox';

type Seed = { key: string; doc?: JsonValue } & DocumentPlacement;

async function putAll(store: ProjectionStore, projection: string, seeds: readonly Seed[]): Promise<void> {
  await store.transaction(projection, (tx) => {
    for (const seed of seeds) tx.put(seed.key, seed.doc === undefined ? { key: seed.key } : seed.doc, seed);
  });
}

async function listAll(store: ProjectionStore, projection: string, options: Omit<ListOptions, 'limit' | 'after'>, limit = 500): Promise<ProjectionDocument[]> {
  const items: ProjectionDocument[] = [];
  let after: string | undefined;
  do {
    const page = await store.list(projection, { ...options, limit, ...(after === undefined ? {} : { after }) });
    items.push(...page.items);
    after = page.nextCursor ?? undefined;
  } while (after !== undefined);
  return items;
}

/** Code-point comparison of (sortKey, key), the order every adapter promises. */
function compareEntries(a: { sortKey: string; key: string }, b: { sortKey: string; key: string }): number {
  const bySortKey = Buffer.compare(Buffer.from(a.sortKey), Buffer.from(b.sortKey));
  return bySortKey !== 0 ? bySortKey : Buffer.compare(Buffer.from(a.key), Buffer.from(b.key));
}

const pad = (n: number) => String(n).padStart(4, '0');

export function describeProjectionStoreConformance(name: string, open: () => Promise<ProjectionStoreFixture>): void {
  describe(`ProjectionStore conformance: ${name}`, () => {
    async function withStore<T>(body: (fixture: ProjectionStoreFixture) => Promise<T>): Promise<T> {
      const fixture = await open();
      try {
        return await body(fixture);
      } finally {
        await fixture.cleanup();
      }
    }

    describe('documents', () => {
      it('puts, gets, replaces and deletes a document with its placement', () =>
        withStore(async ({ store }) => {
          const doc = { referral: 'R-1', from: 'intake', nested: { deadline: '2031-05-01', list: [1, 'hai', null, true] }, name: 'Lê Thị Hoa' };
          await store.transaction(INBOX, (tx) => tx.put('referral-1', doc, { partition: 'identification', sortKey: '2031-05-01', tags: ['open', 'due-soon', 'open'] }));
          expect(await store.get(INBOX, 'referral-1')).toEqual({ key: 'referral-1', partition: 'identification', sortKey: '2031-05-01', tags: ['due-soon', 'open'], doc });

          await store.transaction(INBOX, (tx) => tx.put('referral-1', { referral: 'R-1', status: 'accepted' }, { partition: 'rescue', sortKey: '2031-06-01', tags: ['accepted'] }));
          expect(await store.get(INBOX, 'referral-1')).toEqual({ key: 'referral-1', partition: 'rescue', sortKey: '2031-06-01', tags: ['accepted'], doc: { referral: 'R-1', status: 'accepted' } });
          expect((await store.list(INBOX, { partition: 'identification', limit: 10 })).items).toEqual([]);
          expect(await store.count(INBOX, { partition: 'identification', tag: 'open' })).toBe(0);
          expect(await store.count(INBOX, { partition: 'rescue', tag: 'accepted' })).toBe(1);

          await store.transaction(INBOX, (tx) => {
            tx.delete('referral-1');
            tx.delete('never-existed');
          });
          expect(await store.get(INBOX, 'referral-1')).toBeUndefined();
          expect(await store.count(INBOX, { partition: 'rescue' })).toBe(0);
          expect(await store.count(INBOX, { partition: 'rescue', tag: 'accepted' })).toBe(0);
        }));

      it('stores any JSON value as a document, unchanged', () =>
        withStore(async ({ store }) => {
          const values: JsonValue[] = [0, -1.5e-7, 'text with "quotes" and \\ and emoji 🙂', null, false, [], {}, { z: 1, a: [{ b: 2 }] }];
          await putAll(store, INBOX, values.map((doc, index) => ({ key: `v${index}`, doc, partition: 'p', sortKey: pad(index) })));
          for (const [index, doc] of values.entries()) expect((await store.get(INBOX, `v${index}`))?.doc).toEqual(doc);
        }));

      it('lets a transaction read its own writes, and hands out copies', () =>
        withStore(async ({ store }) => {
          await putAll(store, INBOX, [{ key: 'kept', doc: { count: 1 }, partition: 'p', sortKey: 'a' }]);
          const result = await store.transaction(INBOX, (tx) => {
            const read = tx.get('kept')!;
            (read.doc as { count: number }).count = 99;
            read.tags.push('mutated');
            const again = tx.get('kept');
            tx.put('fresh', { n: 1 }, { partition: 'p', sortKey: 'b', tags: ['t'] });
            const fresh = tx.get('fresh');
            tx.delete('kept');
            return { again, fresh, afterDelete: tx.get('kept') };
          });
          expect(result.again).toEqual({ key: 'kept', partition: 'p', sortKey: 'a', tags: [], doc: { count: 1 } });
          expect(result.fresh).toEqual({ key: 'fresh', partition: 'p', sortKey: 'b', tags: ['t'], doc: { n: 1 } });
          expect(result.afterDelete).toBeUndefined();
          expect(await store.get(INBOX, 'kept')).toBeUndefined();
          expect(await store.get(INBOX, 'fresh')).toMatchObject({ doc: { n: 1 } });
        }));

      it('keeps projections apart', () =>
        withStore(async ({ store }) => {
          await putAll(store, 'conformance.a', [{ key: 'same', doc: 'a', partition: 'p', sortKey: '1', tags: ['t'] }]);
          await putAll(store, 'conformance.b', [{ key: 'same', doc: 'b', partition: 'p', sortKey: '1', tags: ['t'] }]);
          expect((await store.get('conformance.a', 'same'))?.doc).toBe('a');
          expect((await store.get('conformance.b', 'same'))?.doc).toBe('b');
          expect((await store.list('conformance.a', { partition: 'p', tag: 't', limit: 10 })).items.map((item) => item.doc)).toEqual(['a']);
          expect(await store.count('conformance.b', { partition: 'p', tag: 't' })).toBe(1);
        }));
    });

    describe('lists', () => {
      for (const order of ['asc', 'desc'] as const) {
        it(`pages through 250 documents ${order} with limit 100, without duplicates or gaps, while documents are inserted between pages`, () =>
          withStore(async ({ store }) => {
            // Three documents share each sort key, so the key breaks ties inside a page and across pages.
            const originals = Array.from({ length: 250 }, (_, i) => ({ key: `doc-${pad(i)}`, partition: 'agency', sortKey: pad(Math.floor(i / 3) * 10) }));
            await putAll(store, INBOX, originals);
            await putAll(store, INBOX, [{ key: 'elsewhere', partition: 'other-agency', sortKey: '0500' }]);
            const ahead = (entry: { sortKey: string; key: string }, cursor: { sortKey: string; key: string }) =>
              order === 'asc' ? compareEntries(entry, cursor) > 0 : compareEntries(entry, cursor) < 0;

            const seen: ProjectionDocument[] = [];
            const expected = new Set(originals.map((doc) => doc.key));
            let after: string | undefined;
            let pages = 0;
            do {
              const page = await store.list(INBOX, { partition: 'agency', limit: 100, order, ...(after === undefined ? {} : { after }) });
              expect(page.items.length).toBeLessThanOrEqual(100);
              seen.push(...page.items);
              after = page.nextCursor ?? undefined;
              pages++;
              if (after !== undefined) {
                // Inserted on both sides of the cursor, including on the cursor's own sort key.
                const cursor = page.items[page.items.length - 1]!;
                const inserted = [`0000`, cursor.sortKey, pad(Number(cursor.sortKey) + 5), '9999'].map((sortKey, i) => ({ key: `new-${pages}-${i}`, partition: 'agency', sortKey }));
                await putAll(store, INBOX, inserted);
                for (const doc of inserted) if (ahead(doc, cursor)) expected.add(doc.key);
              }
            } while (after !== undefined && pages < 20);

            const keys = seen.map((doc) => doc.key);
            expect(new Set(keys).size).toBe(keys.length);
            expect(new Set(keys)).toEqual(expected);
            for (let i = 1; i < seen.length; i++) expect(ahead(seen[i]!, seen[i - 1]!)).toBe(true);
            expect(pages).toBeGreaterThanOrEqual(3);
          }));
      }

      it('lists one tag of a partition in order, and follows a document as its tags change', () =>
        withStore(async ({ store }) => {
          const seeds = Array.from({ length: 30 }, (_, i) => ({
            key: `r-${pad(i)}`,
            partition: 'protection',
            sortKey: pad(30 - i),
            tags: [...(i % 2 === 0 ? ['open'] : ['closed']), ...(i % 3 === 0 ? ['overdue'] : [])],
          }));
          await putAll(store, INBOX, [...seeds, { key: 'other', partition: 'rescue', sortKey: '0001', tags: ['open'] }]);
          const openKeys = seeds.filter((_, i) => i % 2 === 0).map((seed) => seed.key).reverse();
          expect((await listAll(store, INBOX, { partition: 'protection', tag: 'open' })).map((doc) => doc.key)).toEqual(openKeys);
          expect((await listAll(store, INBOX, { partition: 'protection', tag: 'open' }, 4)).map((doc) => doc.key)).toEqual(openKeys);
          expect((await listAll(store, INBOX, { partition: 'protection', tag: 'open', order: 'desc' }, 7)).map((doc) => doc.key)).toEqual([...openKeys].reverse());
          const overdue = await listAll(store, INBOX, { partition: 'protection', tag: 'overdue' });
          expect(overdue.map((doc) => doc.key)).toEqual(seeds.filter((_, i) => i % 3 === 0).map((seed) => seed.key).reverse());
          expect(overdue[0]).toEqual({ key: 'r-0027', partition: 'protection', sortKey: '0003', tags: ['closed', 'overdue'], doc: { key: 'r-0027' } });

          await store.transaction(INBOX, (tx) => {
            tx.put('r-0000', { closedAt: 'now' }, { partition: 'protection', sortKey: '0030', tags: ['closed'] });
            tx.delete('r-0002');
          });
          const openNow = await listAll(store, INBOX, { partition: 'protection', tag: 'open' });
          expect(openNow.map((doc) => doc.key)).toEqual(openKeys.filter((key) => key !== 'r-0000' && key !== 'r-0002'));
          expect((await listAll(store, INBOX, { partition: 'protection', tag: 'closed' })).at(-1)).toMatchObject({ key: 'r-0000', doc: { closedAt: 'now' } });
          expect(await store.count(INBOX, { partition: 'protection', tag: 'overdue' })).toBe(9);
          expect(await store.count(INBOX, { partition: 'protection', tag: 'open' })).toBe(13);
        }));

      it('counts a partition and a tag within it', () =>
        withStore(async ({ store }) => {
          await putAll(store, INBOX, [
            ...Array.from({ length: 7 }, (_, i) => ({ key: `a-${i}`, partition: 'a', sortKey: pad(i), tags: i < 3 ? ['overdue'] : [] })),
            ...Array.from({ length: 4 }, (_, i) => ({ key: `b-${i}`, partition: 'b', sortKey: pad(i), tags: ['overdue'] })),
          ]);
          expect(await store.count(INBOX, { partition: 'a' })).toBe(7);
          expect(await store.count(INBOX, { partition: 'a', tag: 'overdue' })).toBe(3);
          expect(await store.count(INBOX, { partition: 'b', tag: 'overdue' })).toBe(4);
          expect(await store.count(INBOX, { partition: 'c' })).toBe(0);
          expect(await store.count('conformance.empty', { partition: 'a', tag: 'overdue' })).toBe(0);
        }));

      it('orders sort keys and keys by code point, whatever the locale', () =>
        withStore(async ({ store }) => {
          const sortKeys = ['b', 'B', 'a', 'é', 'Z', '10', '9', '~', 'ä', '日本', 'a b', 'a-b', 'ab', ''];
          await putAll(store, INBOX, sortKeys.map((sortKey, i) => ({ key: `k${i}`, partition: 'p', sortKey })));
          await putAll(store, INBOX, ['b', 'B', 'a', 'é'].map((key) => ({ key: `same-${key}`, partition: 'q', sortKey: 'x' })));
          // JavaScript's default sort is UTF-16 order, which is code-point order inside the BMP.
          expect((await listAll(store, INBOX, { partition: 'p' }, 3)).map((doc) => doc.sortKey)).toEqual([...sortKeys].sort());
          expect((await listAll(store, INBOX, { partition: 'q' })).map((doc) => doc.key)).toEqual(['same-B', 'same-a', 'same-b', 'same-é']);
        }));

      it('gives no cursor on the last page, and an empty page for an empty partition', () =>
        withStore(async ({ store }) => {
          await putAll(store, INBOX, Array.from({ length: 4 }, (_, i) => ({ key: `k${i}`, partition: 'p', sortKey: pad(i) })));
          const exact = await store.list(INBOX, { partition: 'p', limit: 4 });
          expect(exact.items).toHaveLength(4);
          expect(exact.nextCursor).toBeNull();
          const first = await store.list(INBOX, { partition: 'p', limit: 3 });
          expect(typeof first.nextCursor).toBe('string');
          expect(first.nextCursor).toMatch(/^[A-Za-z0-9_-]+$/);
          const rest = await store.list(INBOX, { partition: 'p', limit: 3, after: first.nextCursor! });
          expect(rest.items.map((doc) => doc.key)).toEqual(['k3']);
          expect(rest.nextCursor).toBeNull();
          expect(await store.list(INBOX, { partition: 'nobody', limit: 10 })).toEqual({ items: [], nextCursor: null });
        }));
    });

    describe('checkpoint', () => {
      it('is stored in the same transaction as the documents, and a transaction that throws changes neither', () =>
        withStore(async ({ store }) => {
          expect(await store.checkpoint(INBOX)).toBeUndefined();
          const seen = await store.transaction(INBOX, (tx) => {
            const before = tx.checkpoint();
            tx.put('a', { v: 1 }, { partition: 'p', sortKey: '1', tags: ['t'] });
            tx.setCheckpoint({ position: 5, version: 1 });
            return { before, after: tx.checkpoint() };
          });
          expect(seen).toEqual({ before: undefined, after: { position: 5, version: 1 } });
          expect(await store.checkpoint(INBOX)).toEqual({ position: 5, version: 1 });

          const failure = new Error('apply failed half way');
          const attempt = store.transaction(INBOX, (tx) => {
            expect(tx.checkpoint()).toEqual({ position: 5, version: 1 });
            tx.put('b', { v: 2 }, { partition: 'p', sortKey: '2', tags: ['t'] });
            tx.put('a', { v: 'changed' }, { partition: 'p', sortKey: '1' });
            tx.delete('a');
            tx.setCheckpoint({ position: 9, version: 1 });
            throw failure;
          });
          await expect(attempt).rejects.toBe(failure);
          expect(await store.checkpoint(INBOX)).toEqual({ position: 5, version: 1 });
          expect(await store.get(INBOX, 'a')).toEqual({ key: 'a', partition: 'p', sortKey: '1', tags: ['t'], doc: { v: 1 } });
          expect(await store.get(INBOX, 'b')).toBeUndefined();
          expect(await store.count(INBOX, { partition: 'p', tag: 't' })).toBe(1);

          await store.transaction(INBOX, (tx) => tx.setCheckpoint({ position: 12, version: 2 }));
          expect(await store.checkpoint(INBOX)).toEqual({ position: 12, version: 2 });
        }));

      it('refuses work that returns a promise, and writes nothing of it, not even later', () =>
        withStore(async ({ store }) => {
          const early = store.transaction(INBOX, async (tx) => {
            tx.put('early', 1, { partition: 'p', sortKey: '1' });
            tx.setCheckpoint({ position: 1, version: 1 });
          });
          await expect(early).rejects.toBeInstanceOf(InvalidProjectionRequestError);
          let lateWrite: unknown = 'not attempted';
          const late = store.transaction(INBOX, async (tx) => {
            await new Promise((resolve) => setTimeout(resolve, 10));
            try {
              tx.put('late', 1, { partition: 'p', sortKey: '1' });
              lateWrite = 'written';
            } catch (error) {
              lateWrite = error;
            }
          });
          await expect(late).rejects.toBeInstanceOf(InvalidProjectionRequestError);
          await new Promise((resolve) => setTimeout(resolve, 50));
          expect(lateWrite).toBeInstanceOf(InvalidProjectionRequestError);
          expect(await store.get(INBOX, 'early')).toBeUndefined();
          expect(await store.get(INBOX, 'late')).toBeUndefined();
          expect(await store.checkpoint(INBOX)).toBeUndefined();
        }));

      it('serialises concurrent transactions on one projection: no lost update', () =>
        withStore(async ({ store }) => {
          await Promise.all(
            Array.from({ length: 25 }, () =>
              store.transaction(INBOX, (tx) => {
                const current = tx.get('counter')?.doc as { n: number } | undefined;
                const n = (current?.n ?? 0) + 1;
                tx.put('counter', { n }, { partition: 'p', sortKey: '' });
                tx.setCheckpoint({ position: n, version: 1 });
              }),
            ),
          );
          expect((await store.get(INBOX, 'counter'))?.doc).toEqual({ n: 25 });
          expect(await store.checkpoint(INBOX)).toEqual({ position: 25, version: 1 });
        }));
    });

    describe('lifecycle', () => {
      it('reset drops the documents, tags and checkpoint of one projection only', () =>
        withStore(async ({ store }) => {
          for (const projection of [INBOX, 'conformance.kept']) {
            await store.transaction(projection, (tx) => {
              tx.put('a', 1, { partition: 'p', sortKey: '1', tags: ['t'] });
              tx.put('b', 2, { partition: 'p', sortKey: '2' });
              tx.setCheckpoint({ position: 7, version: 3 });
            });
          }
          await store.reset(INBOX);
          expect(await store.get(INBOX, 'a')).toBeUndefined();
          expect(await store.count(INBOX, { partition: 'p' })).toBe(0);
          expect(await store.count(INBOX, { partition: 'p', tag: 't' })).toBe(0);
          expect((await store.list(INBOX, { partition: 'p', tag: 't', limit: 10 })).items).toEqual([]);
          expect(await store.checkpoint(INBOX)).toBeUndefined();
          expect(await store.count('conformance.kept', { partition: 'p', tag: 't' })).toBe(1);
          expect(await store.checkpoint('conformance.kept')).toEqual({ position: 7, version: 3 });
          // A reset projection takes documents again as if new.
          await putAll(store, INBOX, [{ key: 'a', partition: 'p', sortKey: '1', tags: ['t'] }]);
          expect(await store.count(INBOX, { partition: 'p', tag: 't' })).toBe(1);
        }));

      it('keeps documents and checkpoint across a reopen', () =>
        withStore(async ({ store, reopen }) => {
          await store.transaction(INBOX, (tx) => {
            tx.put('a', { durable: true }, { partition: 'p', sortKey: '1', tags: ['t'] });
            tx.setCheckpoint({ position: 41, version: 2 });
          });
          await store.close();
          const reopened = await reopen();
          expect(await reopened.get(INBOX, 'a')).toEqual({ key: 'a', partition: 'p', sortKey: '1', tags: ['t'], doc: { durable: true } });
          expect(await reopened.checkpoint(INBOX)).toEqual({ position: 41, version: 2 });
          expect(await reopened.count(INBOX, { partition: 'p', tag: 't' })).toBe(1);
        }));

      it('refuses malformed requests before touching storage', () =>
        withStore(async ({ store }) => {
          const invalid = (promise: Promise<unknown>) => expect(promise).rejects.toBeInstanceOf(InvalidProjectionRequestError);
          const placement = { partition: 'p', sortKey: '1' };
          await invalid(store.list(INBOX, { partition: 'p', limit: 0 }));
          await invalid(store.list(INBOX, { partition: 'p', limit: 501 }));
          await invalid(store.list(INBOX, { partition: 'p', limit: 1.5 }));
          await invalid(store.list(INBOX, { partition: 'p', limit: 10, after: 'not-a-cursor' }));
          await invalid(store.list(INBOX, { partition: 'p', limit: 10, after: Buffer.from('["only one"]').toString('base64url') }));
          await invalid(store.list(INBOX, { partition: 'p', limit: 10, order: 'sideways' as 'asc' }));
          await invalid(store.get('bad name!', 'a'));
          await invalid(store.get(INBOX, ''));
          await invalid(store.transaction(INBOX, (tx) => tx.put('a', undefined as unknown as JsonValue, placement)));
          await invalid(store.transaction(INBOX, (tx) => tx.put('x'.repeat(201), 1, placement)));
          await invalid(store.transaction(INBOX, (tx) => tx.put('a', 1, { partition: 'p', sortKey: '1', tags: [''] })));
          await invalid(store.transaction(INBOX, (tx) => tx.setCheckpoint({ position: 1.5, version: 1 })));
          await invalid(store.count(INBOX, { partition: 'p', tag: '' }));
          expect(await store.count(INBOX, { partition: 'p' })).toBe(0);
        }));

      it('refuses calls after close', () =>
        withStore(async ({ store }) => {
          await store.close();
          await store.close();
          await expect(store.get(INBOX, 'a')).rejects.toBeInstanceOf(ProjectionStoreClosedError);
          await expect(store.list(INBOX, { partition: 'p', limit: 1 })).rejects.toBeInstanceOf(ProjectionStoreClosedError);
          await expect(store.transaction(INBOX, () => undefined)).rejects.toBeInstanceOf(ProjectionStoreClosedError);
          await expect(store.checkpoint(INBOX)).rejects.toBeInstanceOf(ProjectionStoreClosedError);
        }));
    });
  });
}
