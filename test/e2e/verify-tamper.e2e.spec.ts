// `nrm verify` as an operator runs it, on a log the embedded backbone recorded: it passes the
// untouched data directory (exit 0), and after one byte of one stored event is changed in the
// SQLite file it exits 1 and names the stream and position. A missing file is bad usage (exit 2).
// Then distributed (one store per service, protection and audit on PostgreSQL, Kafka between
// them): every store against the audit archive passes, and one event deleted from protection's
// PostgreSQL store is named. Without a broker that part is skipped, with the reason.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kafkaTestBrokers } from '@nrm/bus/testing';
import { DEMO_STORY, checkChain, createBackboneClient, resolveStartConfig, runReferralChain, simulate, startBackbone } from '@nrm/cli';
import { DISTRIBUTED_SERVICES, startDistributedBackbone, waitForNoConsumerLag } from './distributed-backbone.ts';
import type { DistributedBackbone } from './distributed-backbone.ts';
import { runNrm } from './nrm-process.ts';

let dataDir: string;

function countRows(table: 'events' | 'audit_archive'): number {
  const database = new DatabaseSync(join(dataDir, 'nrm.db'), { readOnly: true });
  try {
    return (database.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
  } finally {
    database.close();
  }
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'nrm-verify-e2e-'));
  const backbone = await startBackbone(resolveStartConfig(null, { port: '0', 'data-dir': dataDir, 'log-level': 'silent' }, {}));
  try {
    const client = await createBackboneClient({ baseUrl: backbone.url, dataDir });
    const result = await simulate(client, { cases: 2, concurrency: 2, seed: 5 });
    expect(result.failures).toEqual([]);
    const deadline = Date.now() + 15_000;
    while (countRows('audit_archive') < countRows('events')) {
      if (Date.now() > deadline) throw new Error('the archive did not catch up with the store');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    await backbone.close();
  }
});

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('nrm verify', () => {
  it('passes an untouched embedded log', async () => {
    const result = await runNrm(['verify', '--data-dir', dataDir], { timeoutMs: 60_000 });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^OK: every hash chain holds/);
    expect(result.stdout).toContain(`${countRows('events')} events`);
  });

  it('exits 1 and names the place when one byte of one stored event changed', async () => {
    const database = new DatabaseSync(join(dataDir, 'nrm.db'));
    const target = database.prepare('SELECT position, stream, revision, body FROM events ORDER BY position LIMIT 1 OFFSET 10').get() as { position: number; stream: string; revision: number; body: string };
    database.prepare('UPDATE events SET body = ? WHERE position = ?').run(target.body.replace('"occurredAt":"20', '"occurredAt":"21'), target.position);
    database.close();

    const result = await runNrm(['verify', '--store', `sqlite:${join(dataDir, 'nrm.db')}`], { timeoutMs: 60_000 });
    expect(result.code, result.stdout + result.stderr).toBe(1);
    expect(result.stdout).toMatch(/^FAILED/);
    expect(result.stdout).toContain(`chain-broken at store sqlite:${join(dataDir, 'nrm.db')}, stream ${target.stream}, revision ${target.revision}, position ${target.position}`);
    expect(result.stdout).toMatch(/hash mismatch/);
  });

  it('is bad usage (exit 2) when the store does not exist', async () => {
    const result = await runNrm(['verify', '--data-dir', join(dataDir, 'nowhere')], { timeoutMs: 60_000 });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/no such file/);
  });
});

const kafka = await kafkaTestBrokers();

describe.skipIf(!kafka.brokers)(`nrm verify, distributed over Kafka${kafka.skipReason ? ` (skipped: ${kafka.skipReason})` : ''}`, () => {
  let backbone: DistributedBackbone | undefined;
  const storeArgs = () => DISTRIBUTED_SERVICES.flatMap((service) => ['--store', backbone!.storeUrls[service]]);

  beforeAll(async () => {
    backbone = await startDistributedBackbone({ label: 'verify', brokers: kafka.brokers!, postgres: ['protection', 'audit'] });
    const client = await createBackboneClient({ baseUrl: backbone.urls, dataDir: backbone.dataDir, retryForMs: 10_000 });
    const { caseId } = await runReferralChain(client, DEMO_STORY);
    expect((await checkChain(client, caseId)).complete).toBe(true);
    await waitForNoConsumerLag(kafka.brokers!, backbone.namespace);
  }, 180_000);
  afterAll(async () => backbone?.stop(), 60_000);

  it('passes every store against the audit archive', async () => {
    const result = await runNrm(['verify', ...storeArgs()], { timeoutMs: 60_000 });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^OK/);
  });

  it('names the event deleted from protection\'s PostgreSQL store', async () => {
    const url = new URL(backbone!.storeUrls.protection);
    const schema = url.searchParams.get('schema')!;
    url.searchParams.delete('schema');
    const client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    let deleted: { id: string; stream: string; position: string };
    try {
      deleted = (await client.query(`DELETE FROM "${schema}".events WHERE position = 1 RETURNING id, stream, position`)).rows[0];
    } finally {
      await client.end();
    }
    const result = await runNrm(['verify', ...storeArgs()], { timeoutMs: 60_000 });
    expect(result.code, result.stdout + result.stderr).toBe(1);
    expect(result.stdout).toMatch(new RegExp(`missing-from-store at store postgres://[^\\n]*schema=${schema}, stream ${deleted.stream}, revision \\d+, position 1, archive sequence \\d+, event ${deleted.id}`));
  });
});
