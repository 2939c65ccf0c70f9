// The overdue scheduler is durable through the log itself: a deadline learned before a restart
// fires after it, and two schedulers racing (an old process not yet gone) still record one
// ReferralOverdue.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { eventRegistry, newId } from '@nrm/contracts';
import { createSqliteEventStore } from '@nrm/eventstore';
import type { EventStore } from '@nrm/eventstore';
import { createCaseRuntime } from './case-runtime.ts';
import { startOverdueScheduler } from './overdue-scheduler.ts';
import { eventually } from './testing/agency-test-app.ts';

const dirs: string[] = [];
const stores: EventStore[] = [];
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function openStore(path?: string) {
  const dir = path ?? mkdtempSync(join(tmpdir(), 'nrm-overdue-'));
  if (!path) dirs.push(dir);
  const store = createSqliteEventStore({ path: join(dir, 'events.db'), durability: 'normal', pollIntervalMs: 50 });
  stores.push(store);
  return { store, dir };
}

const bare = { initialState: () => null, evolve: (state: null) => state, decide: () => [] };

async function receiveReferral(store: EventStore, acceptBy: Date) {
  const runtime = createCaseRuntime('rescue', bare, { store, registry: eventRegistry });
  const caseId = newId();
  await runtime.execute(
    caseId,
    'ReceiveReferral',
    { referralId: newId(), issuedEventId: newId(), from: 'identification', kind: 'rescue', priority: 'urgent', involvesChild: false, summary: 'held abroad', acceptBy: acceptBy.toISOString() },
    { commandId: newId(), now: new Date().toISOString(), actor: 'test', agency: 'rescue', caseId, causationId: null, traceparent: null },
  );
  return { runtime, caseId };
}

const overdueIn = async (store: EventStore, caseId: string) => (await store.readStream(`rescue-case-${caseId}`)).filter((event) => event.type === 'rescue.ReferralOverdue');

describe('overdue scheduler', () => {
  it('fires a deadline learned before a restart, once', async () => {
    const { store, dir } = openStore();
    const { runtime, caseId } = await receiveReferral(store, new Date(Date.now() + 600));
    const before = startOverdueScheduler(runtime, store);
    await eventually(async () => expect(before.pending()).toBe(1));
    await before.stop();
    await store.close();

    const { store: reopened } = openStore(dir);
    const after = startOverdueScheduler(createCaseRuntime('rescue', bare, { store: reopened, registry: eventRegistry }), reopened);
    await eventually(async () => expect(await overdueIn(reopened, caseId)).toHaveLength(1), 5000);
    await eventually(async () => expect(after.pending()).toBe(0));
    await after.stop();
  });

  it('records one ReferralOverdue when two schedulers race', async () => {
    const { store } = openStore();
    const { runtime, caseId } = await receiveReferral(store, new Date(Date.now() - 1000));
    const first = startOverdueScheduler(runtime, store);
    const second = startOverdueScheduler(createCaseRuntime('rescue', bare, { store, registry: eventRegistry }), store);
    await eventually(async () => expect(await overdueIn(store, caseId)).toHaveLength(1));
    await Promise.all([first.tick(), second.tick()]);
    expect(await overdueIn(store, caseId)).toHaveLength(1);
    await Promise.all([first.stop(), second.stop()]);
  });
});
