// NRM Backbone's own stores as subjects of the shared workloads: the embedded SQLite store
// (durable: WAL, synchronous=FULL, group commit) and the PostgreSQL store, each a fresh file or
// schema per run. Each event is written with the full envelope and hash chain the backbone
// always writes; the payload is the same as the peers get.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { NewEvent } from '@nrm/contracts';
import { WrongExpectedRevisionError, createPostgresEventStore, createSqliteEventStore } from '@nrm/eventstore';
import type { EventStore, ExpectedRevision } from '@nrm/eventstore';
import { postgresTestUrl } from '@nrm/eventstore/testing';
import type { BenchEvent, BenchStore, BenchStoreFactory } from './bench-store.ts';

function envelope(event: BenchEvent, stream: string): NewEvent {
  return {
    id: event.id,
    type: event.type,
    schemaVersion: 1,
    occurredAt: new Date().toISOString(),
    agency: 'intake',
    actor: 'bench',
    caseId: null,
    causationId: null,
    traceparent: null,
    data: { ...event.data, stream },
  };
}

/** Counting events as the workloads do (how many the stream holds) into the store's last-revision terms. */
function expectedRevision(expected: number | 'any'): ExpectedRevision {
  if (expected === 'any') return 'any';
  return expected === 0 ? 'no_stream' : expected - 1;
}

function benchStore(store: EventStore, engine: 'sqlite' | 'postgresql', cleanUp: () => Promise<void>): BenchStore {
  return {
    subject: 'nrm',
    engine,
    async append(stream, events, expected) {
      try {
        await store.append(
          stream,
          events.map((event) => envelope(event, stream)),
          { expectedRevision: expectedRevision(expected) },
        );
        return 'ok';
      } catch (error) {
        if (error instanceof WrongExpectedRevisionError) return 'conflict';
        throw error;
      }
    },
    async readStream(stream) {
      return (await store.readStream(stream)).length;
    },
    async readAll() {
      let count = 0;
      for await (const event of store.readAll()) if (event.position >= 0) count++;
      return count;
    },
    async close() {
      await store.close();
      await cleanUp();
    },
  };
}

export const nrmSqlite: BenchStoreFactory = {
  subject: 'nrm',
  engine: 'sqlite',
  version: '@nrm/eventstore sqlite (node:sqlite, WAL, synchronous=FULL)',
  async open() {
    const dir = mkdtempSync(join(tmpdir(), 'nrm-compare-'));
    const store = createSqliteEventStore({ path: join(dir, 'events.db') });
    return benchStore(store, 'sqlite', async () => rmSync(dir, { recursive: true, force: true }));
  },
};

let schemas = 0;

export const nrmPostgres: BenchStoreFactory = {
  subject: 'nrm',
  engine: 'postgresql',
  version: '@nrm/eventstore postgres (pg, LISTEN/NOTIFY)',
  async open() {
    const schema = `bench_nrm_${process.pid}_${schemas++}`;
    const store = await createPostgresEventStore({ connectionString: postgresTestUrl(), schema, poolSize: 16 });
    return benchStore(store, 'postgresql', async () => {
      const client = new pg.Client({ connectionString: postgresTestUrl() });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    });
  },
};
