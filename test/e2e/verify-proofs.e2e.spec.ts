// `nrm verify inclusion` and `nrm verify consistency` as an auditor runs them against a running
// backbone: an archived event is proven in the signed head, a saved head is proven a prefix of a
// later one, and a forged head or an unknown event fails with exit 1 and says what failed.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackboneClient } from '@nrm/cli';
import type { BackboneClient } from '@nrm/cli';
import { newId } from '@nrm/contracts';
import { startEmbeddedBackbone } from './embedded-backbone.ts';
import { runNrm } from './nrm-process.ts';

let running: Awaited<ReturnType<typeof startEmbeddedBackbone>>;
let client: BackboneClient;
const heads = mkdtempSync(join(tmpdir(), 'nrm-heads-'));

beforeAll(async () => {
  running = await startEmbeddedBackbone('verify-proofs');
  client = await createBackboneClient({ baseUrl: running.backbone.url, dataDir: running.dataDir });
});
afterAll(async () => {
  await running?.stop();
  rmSync(heads, { recursive: true, force: true });
});

/** Receives a tip and waits until the audit archive holds its event. */
async function archivedTip(): Promise<string> {
  const { caseId } = await client.post<{ caseId: string }>('intake', '/tips', { channel: 'police', province: 'Tây Ninh', allegedPlace: { country: 'KH' }, statement: 'A worker was lured to a casino in Bavet.' });
  return client.waitFor('the archive to hold the tip', async () => {
    const answer = await client.get<{ events: { id: string }[] }>('audit', `/cases/${caseId}/events`).catch(() => undefined);
    return answer?.events[0]?.id;
  });
}

const nrm = (...args: string[]) => runNrm(['verify', ...args, '--url', running.backbone.url, '--data-dir', running.dataDir]);

describe('nrm verify inclusion | consistency (embedded backbone)', () => {
  it('proves an archived event in the signed head, then the saved head a prefix of a later one', async () => {
    const eventId = await archivedTip();
    const old = join(heads, 'old.json');
    const included = await nrm('inclusion', '--event', eventId, '--save-head', old);
    expect(included.stdout).toMatch(new RegExp(`^OK: event ${eventId} is leaf \\d+ of the tree head of \\d+ leaves`));
    expect(included.code).toBe(0);
    expect(JSON.parse(readFileSync(old, 'utf8'))).toHaveProperty('signature');

    await archivedTip();
    await archivedTip();
    const consistent = await nrm('consistency', '--old', old, '--save-head', join(heads, 'new.json'));
    expect(consistent.stdout).toMatch(/^OK: the log only grew from \d+ to \d+ leaves/);
    expect(consistent.code).toBe(0);
    const between = await nrm('consistency', '--old', old, '--new', join(heads, 'new.json'));
    expect(between.code).toBe(0);
    const againstOld = await nrm('inclusion', '--event', eventId, '--head', old);
    expect(againstOld.code).toBe(0);
  });

  it('fails with exit 1, naming what failed, for a forged head and an event the log does not hold', async () => {
    await archivedTip();
    const saved = join(heads, 'saved.json');
    expect((await nrm('inclusion', '--event', await archivedTip(), '--save-head', saved)).code).toBe(0);
    const forged = join(heads, 'forged.json');
    writeFileSync(forged, JSON.stringify({ ...JSON.parse(readFileSync(saved, 'utf8')), rootHash: Buffer.alloc(32, 9).toString('base64') }));
    const rewritten = await nrm('consistency', '--old', forged);
    expect(rewritten.code).toBe(1);
    expect(rewritten.stdout).toContain('FAILED: the old tree head');
    expect(rewritten.stdout).toContain('fields differ from what the signature covers');
    const unknown = await nrm('inclusion', '--event', newId());
    expect(unknown.code).toBe(1);
    expect(unknown.stdout).toContain('is not in the audit log');
    const usage = await nrm('consistency');
    expect(usage.code).toBe(2);
  });
});
