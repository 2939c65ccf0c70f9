import { randomBytes } from 'node:crypto';
import { newId } from '@nrm/contracts';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decryptField } from './field-cipher.ts';
import { unwrapDataKey } from './key-wrapping.ts';
import { createPostgresKeyStore } from './postgres-key-store.ts';
import { describeKeyStoreConformance } from './testing/key-store-conformance.ts';
import { createVault } from './vault.ts';

const connectionString = process.env.NRM_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

function randomSchema(): string {
  return `vault_test_${randomBytes(6).toString('hex')}`;
}

async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

describeKeyStoreConformance('postgres, one pool per store', async () => {
  const schema = randomSchema();
  return {
    openStore: (options) => createPostgresKeyStore({ connectionString, schema, ...options }),
    dispose: () => dropSchema(schema),
  };
});

describeKeyStoreConformance("postgres, on the service's own pool", async () => {
  const schema = randomSchema();
  const pool = new pg.Pool({ connectionString });
  return {
    openStore: (options) => createPostgresKeyStore({ pool, schema, ...options }),
    dispose: async () => {
      await pool.end();
      await dropSchema(schema);
    },
  };
});

describe('vault on the postgres key store', () => {
  const schema = randomSchema();
  const pool = new pg.Pool({ connectionString });
  const masterKey = randomBytes(32);
  const reader = { actor: 'officer-12', agency: 'identification' } as const;

  beforeAll(async () => {
    await createPostgresKeyStore({ pool, schema });
  });
  afterAll(async () => {
    await pool.end();
    await dropSchema(schema);
  });

  it('ends with one key when 20 first seals for a person race on separate pools', async () => {
    const stores = await Promise.all([1, 2].map(() => createPostgresKeyStore({ connectionString, schema })));
    const vaults = stores.map((keyStore) => createVault({ keyStore, masterKey, masterKeyId: 'kek-pg' }));
    const subject = newId();
    const envelopes = await Promise.all(
      Array.from({ length: 20 }, (_, i) => vaults[i % 2]!.seal(subject, `name ${i}`, { field: 'fullName' })),
    );
    expect(new Set(envelopes.map((envelope) => envelope.kid)).size).toBe(1);
    const { rows } = await pool.query(`SELECT kid FROM "${schema}".vault_keys WHERE subject = $1`, [subject]);
    expect(rows).toEqual([{ kid: envelopes[0]!.kid }]);
    expect(await vaults[1]!.open(envelopes[7]!, { field: 'fullName', reader, purpose: 'identify the person' })).toBe('name 7');
    await Promise.all(stores.map((store) => store.close()));
  });

  it('keeps data keys wrapped at rest: the raw key appears nowhere in the table', async () => {
    const keyStore = await createPostgresKeyStore({ pool, schema });
    const vault = createVault({ keyStore, masterKey, masterKeyId: 'kek-pg' });
    const subject = newId();
    const envelope = await vault.seal(subject, '079123456789', { field: 'idNumber' });

    const { rows } = await pool.query(`SELECT * FROM "${schema}".vault_keys WHERE subject = $1`, [subject]);
    expect(rows).toHaveLength(1);
    const row = rows[0] as { kid: string; kek_id: string; wrapped: Buffer; created_at: Date };
    const rawKey = unwrapDataKey(new Map([['kek-pg', masterKey]]), {
      subject,
      kid: row.kid,
      kekId: row.kek_id,
      wrapped: row.wrapped,
      createdAt: row.created_at.toISOString(),
    });
    // The unwrapped key really is the one that sealed the field, so its absence below means something.
    expect(decryptField(rawKey, { subject, kid: envelope.kid, field: 'idNumber' }, envelope)).toBe('"079123456789"');
    for (const column of Object.values(row)) {
      const stored = Buffer.isBuffer(column) ? column : Buffer.from(String(column));
      for (const secret of [rawKey, masterKey]) {
        expect(stored.includes(secret)).toBe(false);
        expect(stored.includes(secret.toString('hex'))).toBe(false);
        expect(stored.includes(secret.toString('base64url'))).toBe(false);
      }
    }
  });
});
