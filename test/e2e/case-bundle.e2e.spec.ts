// A whole referral chain (nrm demo's story) on the embedded backbone over HTTP, then the auditor's
// view of it: the case history in causal order with each agency's side of the chain, and the signed
// case bundle verified offline by the stock JOSE command that docs/case-bundle.md documents.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_STORY, createBackboneClient, runReferralChain } from '@nrm/cli';
import { loadOrCreateDevKeys, mintToken } from '@nrm/service-kit';
import { startEmbeddedBackbone } from './embedded-backbone.ts';

type HistoryEvent = { id: string; type: string; agency: string; causationId: string | null };
type History = { events: HistoryEvent[]; graph: { edges: { from: string; to: string }[] } };

let running: Awaited<ReturnType<typeof startEmbeddedBackbone>>;
let caseId: string;
let auditor: string;

const audit = (path: string) => fetch(`${running.backbone.url}/v1/audit${path}`, { headers: { authorization: `Bearer ${auditor}` } });

beforeAll(async () => {
  running = await startEmbeddedBackbone('case-bundle');
  const client = await createBackboneClient({ baseUrl: running.backbone.url, dataDir: running.dataDir });
  ({ caseId } = await runReferralChain(client, DEMO_STORY));
  const keys = await loadOrCreateDevKeys(running.dataDir);
  auditor = await mintToken({ privateKey: keys.privateKey, kid: keys.kid, subject: 'e2e-auditor', roles: ['auditor'], agency: 'audit', ttlSeconds: 600 });
  // The archive fills from the bus: wait until it holds every event the case's /events answer has.
  await client.waitFor('the archive to hold the whole case', async () => {
    const [history, events] = await Promise.all([audit(`/cases/${caseId}`), audit(`/cases/${caseId}/events`)]);
    return history.ok && (((await history.json()) as History).events.length === ((await events.json()) as { events: unknown[] }).events.length) ? true : undefined;
  });
});

afterAll(async () => running?.stop());

describe('case history and the signed case bundle (embedded backbone)', () => {
  it('answers the whole chain in causal order, and each agency’s side of it', async () => {
    const history = (await (await audit(`/cases/${caseId}`)).json()) as History;
    const placed = new Map(history.events.map((event, index) => [event.id, index]));
    for (const event of history.events) if (event.causationId !== null && placed.has(event.causationId)) expect(placed.get(event.causationId)!, event.type).toBeLessThan(placed.get(event.id)!);
    for (const { from, to } of history.graph.edges) expect(history.events[placed.get(to)!]!.causationId).toBe(from);
    const accepted = history.events.filter(({ type }) => type.endsWith('.ReferralAccepted'));
    expect(accepted).toHaveLength(4);
    for (const acceptance of accepted) expect(history.events[placed.get(acceptance.causationId!)!]!.type).toMatch(/\.ReferralIssued$/);
    const rescue = (await (await audit(`/cases/${caseId}?asKnownBy=rescue`)).json()) as History;
    const foreign = rescue.events.filter(({ agency }) => agency !== 'rescue');
    expect(foreign.length).toBeGreaterThan(0);
    for (const event of foreign) expect(rescue.events.some(({ agency, causationId }) => agency === 'rescue' && causationId === event.id), event.type).toBe(true);
    expect(JSON.stringify(history)).not.toContain(DEMO_STORY.victim.fullName);
  });

  it('exports a bundle that the documented jwcrypto command verifies, and rejects once one byte changed', async (context) => {
    const python = `/usr/bin:${process.env.PATH ?? ''}`;
    // The check must run a stock JOSE tool outside the project's code, which npm cannot bring:
    // .ci/run installs python3-jwcrypto, so CI always runs it; a machine without it says why it skipped.
    if (spawnSync('python3', ['-c', 'import jwcrypto'], { env: { ...process.env, PATH: python } }).status !== 0) {
      context.skip('the offline check needs the Debian package python3-jwcrypto (apt-get install python3-jwcrypto)');
    }
    const command = /<!-- verify-case-bundle[^\n]*-->\n```sh\n([\s\S]*?)```/.exec(readFileSync(new URL('../../docs/case-bundle.md', import.meta.url), 'utf8'))?.[1];
    expect(command, 'the verify-case-bundle block of docs/case-bundle.md').toBeDefined();
    const bundle = (await (await audit(`/cases/${caseId}/bundle`)).json()) as { content: string; signature: string; jwksUrl: string };
    const dir = mkdtempSync(join(tmpdir(), 'nrm-case-bundle-'));
    try {
      writeFileSync(join(dir, 'case.jsonl'), bundle.content);
      writeFileSync(join(dir, 'case.jws'), bundle.signature);
      writeFileSync(join(dir, 'jwks.json'), await (await fetch(`${running.backbone.url}${bundle.jwksUrl}`)).text());
      const verify = () => spawnSync('bash', ['-euo', 'pipefail', '-c', command!], { cwd: dir, encoding: 'utf8', env: { ...process.env, PATH: python } });
      const valid = verify();
      expect(valid.status, valid.stderr).toBe(0);
      expect(valid.stdout).toMatch(/case\.jsonl: signature valid/);
      const content = readFileSync(join(dir, 'case.jsonl'));
      const last = content.lastIndexOf('"revision":') + '"revision":'.length;
      content[last] = content[last]! ^ 1;
      writeFileSync(join(dir, 'case.jsonl'), content);
      expect(verify().status).not.toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
