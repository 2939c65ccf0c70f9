import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { newId } from '@nrm/contracts';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SubjectErasedError } from './errors.ts';
import { createSqliteKeyStore } from './sqlite-key-store.ts';
import { describeKeyStoreConformance } from './testing/key-store-conformance.ts';

async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'nrm-vault-'));
}

describeKeyStoreConformance('sqlite, opened by path', async () => {
  const dir = await tempDir();
  const path = join(dir, 'service.db');
  return {
    openStore: async (options) => createSqliteKeyStore({ path, ...options }),
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
});

describeKeyStoreConformance("sqlite, on the service's own database connection", async () => {
  const dir = await tempDir();
  const path = join(dir, 'service.db');
  const databases: DatabaseSync[] = [];
  return {
    openStore: async (options) => {
      const database = new DatabaseSync(path, { timeout: 5_000 });
      database.exec('PRAGMA journal_mode = WAL');
      databases.push(database);
      return createSqliteKeyStore({ database, ...options });
    },
    dispose: async () => {
      for (const database of databases) database.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

describe('sqlite key store', () => {
  const dirs: string[] = [];
  afterEach(async () => {
    await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it('writes the new keys asked for in one turn in one transaction, and an erased subject among them fails alone', async () => {
    const dir = await tempDir();
    dirs.push(dir);
    const database = new DatabaseSync(join(dir, 'service.db'));
    const store = createSqliteKeyStore({ database });
    const erased = newId();
    await store.erase(erased);
    const execs = vi.spyOn(database, 'exec');
    const subjects = Array.from({ length: 30 }, () => newId());
    const asked = [...subjects, erased].map((subject) => store.activeKey(subject, () => ({ kid: newId(), kekId: 'kek', wrapped: randomBytes(60) })));
    const outcomes = await Promise.allSettled(asked);
    expect(outcomes.slice(0, 30).every((outcome) => outcome.status === 'fulfilled')).toBe(true);
    expect(outcomes[30]).toMatchObject({ status: 'rejected', reason: expect.any(SubjectErasedError) });
    expect(execs.mock.calls.filter(([sql]) => sql === 'BEGIN IMMEDIATE')).toHaveLength(1);
    for (const subject of subjects) expect(database.prepare('SELECT count(*) AS n FROM vault_keys WHERE subject = ?').get(subject)).toEqual({ n: 1 });
    expect(database.prepare('SELECT count(*) AS n FROM vault_keys WHERE subject = ?').get(erased)).toEqual({ n: 0 });
    await store.close();
    database.close();
  });

  it("lives beside the service's event tables and leaves a database it was given open", async () => {
    const dir = await tempDir();
    dirs.push(dir);
    const database = new DatabaseSync(join(dir, 'service.db'));
    database.exec('CREATE TABLE events (position INTEGER PRIMARY KEY, body TEXT NOT NULL)');
    database.prepare('INSERT INTO events (body) VALUES (?)').run('{"type":"ReferralIssued"}');
    const store = createSqliteKeyStore({ database });
    const subject = newId();
    await store.activeKey(subject, () => ({ kid: newId(), kekId: 'kek', wrapped: randomBytes(60) }));
    await store.close();

    expect(database.isOpen).toBe(true);
    const tables = database.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all();
    expect(tables.map((table) => table.name)).toEqual(['events', 'vault_erasures', 'vault_keys']);
    expect(database.prepare('SELECT count(*) AS n FROM events').get()).toEqual({ n: 1 });
    expect(database.prepare('SELECT count(*) AS n FROM vault_keys WHERE subject = ?').get(subject)).toEqual({ n: 1 });
    database.close();
  });

  it('after an erasure, no copy of the wrapped key is left in the database file or its WAL', async () => {
    const dir = await tempDir();
    dirs.push(dir);
    const store = createSqliteKeyStore({ path: join(dir, 'service.db') });
    const subject = newId();
    const wrapped = randomBytes(60);
    await store.activeKey(subject, () => ({ kid: newId(), kekId: 'kek', wrapped }));
    await store.activeKey(newId(), () => ({ kid: newId(), kekId: 'kek', wrapped: randomBytes(60) }));
    expect(await filesContain(dir, wrapped)).toBe(true);

    await store.erase(subject);
    expect(await filesContain(dir, wrapped)).toBe(false);
    await store.close();
  });
});

async function filesContain(dir: string, needle: Buffer): Promise<boolean> {
  for (const name of await readdir(dir)) {
    if ((await readFile(join(dir, name))).includes(needle)) return true;
  }
  return false;
}
