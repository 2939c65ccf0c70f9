import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalize, newId } from '@nrm/contracts';
import { eventually, referralsOnlyService, startAgencyTestApp } from '@nrm/agency-kit/testing';
import type { AgencyTestApp } from '@nrm/agency-kit/testing';
import { intakeService } from '@nrm/intake';
import { auditService } from '../index.ts';
import { CASE_BUNDLE_TYP } from './case-bundle.ts';

type HistoryEvent = { id: string; type: string; agency: string; recordedAt: string; causationId: string | null; sequence: number; inclusionProof: string };
type History = { caseId: string; asOf?: string; asKnownBy?: string; events: HistoryEvent[]; graph: { nodes: { id: string }[]; edges: { from: string; to: string }[] } };

let backbone: AgencyTestApp;
let auditor: string;
let caseId: string;
/** The case's whole history once every event has reached the archive. */
let history: History;

const get = (url: string, token = auditor) => backbone.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });

beforeAll(async () => {
  backbone = await startAgencyTestApp([intakeService, referralsOnlyService('identification'), auditService]);
  auditor = await backbone.token('audit', ['auditor']);
  // A tip, classified, referred by intake to identification, which receives (a reaction) and accepts it.
  const received = await backbone.call('intake', 'POST', '/v1/intake/tips', { channel: 'hotline-111', province: 'Lào Cai', allegedPlace: { country: 'CN' }, statement: 'Two people held in a house in Hekou.' });
  expect(received.status, JSON.stringify(received.body)).toBe(201);
  caseId = received.body.caseId as string;
  const classified = await backbone.call('intake', 'POST', `/v1/intake/cases/${caseId}/classification`, { tipId: caseId, classification: 'forced-labour', riskLevel: 'high' });
  expect(classified.status, JSON.stringify(classified.body)).toBe(200);
  const referred = await backbone.call('intake', 'POST', `/v1/intake/cases/${caseId}/referrals`, { to: 'identification', kind: 'verification', priority: 'urgent', involvesChild: false, summary: 'Two people reported held across the border.' });
  expect(referred.status, JSON.stringify(referred.body)).toBe(201);
  const referralId = referred.body.allocated.referralId as string;
  await eventually(async () => {
    const accepted = await backbone.call('identification', 'POST', `/v1/identification/cases/${caseId}/referrals/${referralId}/accept`, { note: 'team assigned' });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
  });
  history = await eventually(async () => {
    const answer = await get(`/v1/audit/cases/${caseId}`);
    expect(answer.statusCode, answer.body).toBe(200);
    expect(answer.json().events).toHaveLength(5);
    return answer.json() as History;
  });
});
afterAll(async () => backbone?.close());

describe('GET /v1/audit/cases/{caseId}', () => {
  it('answers every event of the case in causal order, the chain as a graph, each with its inclusion proof', () => {
    const byType = new Map(history.events.map((event) => [event.type, event]));
    expect(history.events.map(({ type }) => type)).toEqual(['intake.TipReceived', 'intake.TipClassified', 'intake.ReferralIssued', 'identification.ReferralReceived', 'identification.ReferralAccepted']);
    const issued = byType.get('intake.ReferralIssued')!;
    expect(history.graph.nodes.map(({ id }) => id)).toEqual(history.events.map(({ id }) => id));
    expect(history.graph.edges).toContainEqual({ from: issued.id, to: byType.get('identification.ReferralReceived')!.id });
    expect(history.graph.edges).toContainEqual({ from: issued.id, to: byType.get('identification.ReferralAccepted')!.id });
    for (const edge of history.graph.edges) expect(history.events.find(({ id }) => id === edge.to)?.causationId).toBe(edge.from);
    expect(issued.inclusionProof).toBe(`/v1/audit/log/proofs/inclusion?eventId=${issued.id}`);
    expect(JSON.stringify(history)).not.toContain('Hekou');
  });

  it('asOf: only what the backbone had recorded by then', async () => {
    const issued = history.events.find(({ type }) => type === 'intake.ReferralIssued')!;
    const answer = await get(`/v1/audit/cases/${caseId}?asOf=${issued.recordedAt}`);
    expect(answer.statusCode).toBe(200);
    const expected = history.events.filter(({ recordedAt }) => recordedAt <= issued.recordedAt).map(({ id }) => id);
    expect(answer.json().events.map(({ id }: HistoryEvent) => id)).toEqual(expected);
    expect(answer.json().asOf).toBe(issued.recordedAt);
    const before = await get(`/v1/audit/cases/${caseId}?asOf=${new Date(Date.parse(history.events[0]!.recordedAt) - 1).toISOString()}`);
    expect(before.statusCode).toBe(404);
    expect(before.json().detail).toMatch(/had no events recorded at or before/);
  });

  it('asKnownBy: the chain as one agency saw it', async () => {
    const identification = await get(`/v1/audit/cases/${caseId}?asKnownBy=identification`);
    expect(identification.statusCode).toBe(200);
    expect(identification.json()).toMatchObject({ asKnownBy: 'identification' });
    expect(identification.json().events.map(({ type }: HistoryEvent) => type)).toEqual(['intake.ReferralIssued', 'identification.ReferralReceived', 'identification.ReferralAccepted']);
    const received = history.events.find(({ type }) => type === 'identification.ReferralReceived')!;
    const then = await get(`/v1/audit/cases/${caseId}?asKnownBy=identification&asOf=${encodeURIComponent(received.recordedAt.replace('Z', '+00:00'))}`);
    expect(then.json().events.map(({ type }: HistoryEvent) => type)).toEqual(['intake.ReferralIssued', 'identification.ReferralReceived']);
    const rescue = await get(`/v1/audit/cases/${caseId}?asKnownBy=rescue`);
    expect(rescue.statusCode).toBe(404);
    expect(rescue.json().detail).toMatch(/^rescue had none of the events of case/);
  });

  it('refuses a bad asOf or agency (400), a non-auditor (403), and answers 404 for a case with no events', async () => {
    for (const query of ['asOf=yesterday', 'asOf=2026-11-23', 'asKnownBy=police', 'since=2026-11-23T00:00:00Z']) {
      const answer = await get(`/v1/audit/cases/${caseId}?${query}`);
      expect(answer.statusCode, query).toBe(400);
      expect(answer.headers['content-type']).toMatch(/application\/problem\+json/);
    }
    expect((await get(`/v1/audit/cases/${caseId}`, await backbone.token('intake', ['clerk']))).statusCode).toBe(403);
    const missing = await get(`/v1/audit/cases/${newId()}`);
    expect(missing.statusCode).toBe(404);
    expect(missing.json().detail).toMatch(/^no events for case/);
    expect((await get(`/v1/audit/cases/${caseId}/events`)).json().events).toHaveLength(5);
  });
});

/** The documented offline command (docs/case-bundle.md) needs jwcrypto in the interpreter Debian's python3-jwcrypto installs into. */
const pythonPath = `/usr/bin:${process.env.PATH ?? ''}`;
const hasJwcrypto = spawnSync('python3', ['-c', 'import jwcrypto'], { env: { ...process.env, PATH: pythonPath } }).status === 0;
const documentedCommand = /<!-- verify-case-bundle[^\n]*-->\n```sh\n([\s\S]*?)```/.exec(readFileSync(new URL('../../../../docs/case-bundle.md', import.meta.url), 'utf8'))?.[1];

describe('GET /v1/audit/cases/{caseId}/bundle', () => {
  it('exports the case as JSON lines of the archived canonical envelopes, in causal order, with a detached JWS', async () => {
    const answer = await get(`/v1/audit/cases/${caseId}/bundle`);
    expect(answer.statusCode).toBe(200);
    const bundle = answer.json() as { caseId: string; content: string; signature: string; jwksUrl: string; kid: string };
    expect(bundle).toMatchObject({ caseId, jwksUrl: '/v1/audit/.well-known/jwks.json' });
    const lines = bundle.content.split('\n');
    expect(lines.pop()).toBe('');
    expect(lines.map((line) => (JSON.parse(line) as { id: string }).id)).toEqual(history.events.map(({ id }) => id));
    for (const line of lines) expect(canonicalize(JSON.parse(line))).toBe(line);
    const [header, detached] = bundle.signature.split('.');
    expect(detached).toBe('');
    expect(JSON.parse(Buffer.from(header!, 'base64url').toString())).toEqual({ alg: 'EdDSA', kid: bundle.kid, typ: CASE_BUNDLE_TYP });
    const content = await get(`/v1/audit/cases/${caseId}/bundle?part=content`);
    expect(content.headers['content-type']).toMatch(/^application\/x-ndjson/);
    expect(content.body).toBe(bundle.content);
    const signature = await get(`/v1/audit/cases/${caseId}/bundle?part=signature`);
    expect(signature.headers['content-type']).toMatch(/^application\/jose/);
    expect(signature.body).toBe(bundle.signature);
    expect((await get(`/v1/audit/cases/${newId()}/bundle`)).statusCode).toBe(404);
    expect((await get(`/v1/audit/cases/${caseId}/bundle`, await backbone.token('intake', ['clerk']))).statusCode).toBe(403);
  });

  it.skipIf(!hasJwcrypto)('verifies offline with the documented jwcrypto command, and fails after one changed byte (skipped without Debian package python3-jwcrypto)', async () => {
    expect(documentedCommand, 'the verify-case-bundle block of docs/case-bundle.md').toBeDefined();
    const dir = mkdtempSync(join(tmpdir(), 'nrm-case-bundle-'));
    try {
      writeFileSync(join(dir, 'case.jsonl'), (await get(`/v1/audit/cases/${caseId}/bundle?part=content`)).rawPayload);
      writeFileSync(join(dir, 'case.jws'), (await get(`/v1/audit/cases/${caseId}/bundle?part=signature`)).rawPayload);
      const jwks = await backbone.app.inject({ method: 'GET', url: '/v1/audit/.well-known/jwks.json' });
      expect(jwks.statusCode).toBe(200);
      writeFileSync(join(dir, 'jwks.json'), jwks.rawPayload);
      const verify = () => spawnSync('bash', ['-euo', 'pipefail', '-c', documentedCommand!], { cwd: dir, encoding: 'utf8', env: { ...process.env, PATH: pythonPath } });
      const valid = verify();
      expect(valid.status, valid.stderr).toBe(0);
      expect(valid.stdout).toMatch(/case\.jsonl: signature valid/);
      const content = readFileSync(join(dir, 'case.jsonl'));
      // One byte: the first event's revision 0 becomes 1, still valid JSON.
      const digit = content.indexOf('"revision":') + '"revision":'.length;
      content[digit] = content[digit]! ^ 1;
      writeFileSync(join(dir, 'case.jsonl'), content);
      const tampered = verify();
      expect(tampered.status).not.toBe(0);
      expect(tampered.stderr).toMatch(/InvalidJWSSignature/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
