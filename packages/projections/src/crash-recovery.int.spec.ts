import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createSqliteEventStore } from '@nrm/eventstore';
import type { EventStore } from '@nrm/eventstore';
import { testEvents } from '@nrm/eventstore/testing';
import { catchUp } from './catch-up.ts';
import type { ProjectionStore } from './projection-store.ts';
import { createSqliteProjectionStore } from './sqlite/sqlite-projection-store.ts';
import { eventsPerStreamProjection } from './testing/events-per-stream-projection.ts';
import type { StreamSummary } from './testing/events-per-stream-projection.ts';

const worker = fileURLToPath(new URL('./testing/projection-crash-worker.ts', import.meta.url));
const projection = eventsPerStreamProjection();

/** Every stream's document, as the projection should have it after applying the log up to `upTo`. */
async function expectExactlyOnce(events: EventStore, projections: ProjectionStore, upTo: number): Promise<number> {
  const lengths = new Map<string, number>();
  for await (const event of events.readAll({ to: upTo })) lengths.set(event.stream, (lengths.get(event.stream) ?? 0) + 1);
  let applied = 0;
  for (let s = 0; s < 20; s++) {
    const stream = `crash-${s}`;
    const summary = (await projections.get(projection.name, stream))?.doc as StreamSummary | undefined;
    const length = lengths.get(stream) ?? 0;
    expect(summary?.revisions ?? []).toEqual(Array.from({ length }, (_, revision) => revision));
    applied += summary?.events ?? 0;
  }
  return applied;
}

describe('crash recovery', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('after a SIGKILL mid-run, the documents hold exactly the events up to the checkpoint, and catching up completes them once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nrm-projections-crash-'));
    dirs.push(dir);
    const path = join(dir, 'service.db');
    const seeding = createSqliteEventStore({ path, durability: 'normal' });
    await Promise.all(Array.from({ length: 300 }, (_, i) => seeding.append(`crash-${i % 20}`, testEvents(10))));
    await seeding.close();

    const child = spawn(process.execPath, [worker, path], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.on('exit', (code, signal) => resolve(signal ?? code)));
    const killedAt = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the worker reported no progress past 300 within 20 s; stderr: ${stderr}`)), 20_000);
      let buffered = '';
      child.stdout.on('data', (chunk: Buffer) => {
        buffered += chunk.toString();
        const positions = buffered.split('\n').filter(Boolean).map(Number);
        if (positions.some((position) => position >= 300)) {
          clearTimeout(timer);
          child.kill('SIGKILL');
          resolve(Math.max(...positions));
        }
      });
      child.on('exit', () => reject(new Error(`the worker exited before it was killed; stderr: ${stderr}`)));
    });
    expect(await exited).toBe('SIGKILL');

    const events = createSqliteEventStore({ path, durability: 'normal' });
    const projections = createSqliteProjectionStore({ database: events.database });
    try {
      const checkpoint = await projections.checkpoint(projection.name);
      expect(checkpoint!.position).toBeGreaterThanOrEqual(killedAt);
      // Killed mid-run: there was work left, or this test proved nothing.
      expect(checkpoint!.position).toBeLessThan(2999);
      expect(await expectExactlyOnce(events, projections, checkpoint!.position)).toBe(checkpoint!.position + 1);

      const resumed = await catchUp({ store: events, projections, projection });
      expect(resumed.events).toBe(2999 - checkpoint!.position);
      expect(resumed.position).toBe(2999);
      expect(await expectExactlyOnce(events, projections, 2999)).toBe(3000);
    } finally {
      await events.close();
    }
  });
});
