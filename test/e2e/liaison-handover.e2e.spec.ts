// A cross-border handover end to end, as the operators and the foreign desk would run it: a real
// `nrm start` process, `nrm demo` handing a Cambodian girl over to the Cambodian desk kh-bavet,
// then the example desk client (`nrm desk-client`, jose only) pulling, verifying and decrypting
// the feed and acknowledging a packet; the acknowledgement in the case history the auditors read;
// the receipt verified offline by the stock JOSE command docs/liaison.md documents.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOrCreateDevKeys, mintToken } from '@nrm/service-kit';
import { runNrm, startNrm } from './nrm-process.ts';
import type { NrmProcess } from './nrm-process.ts';

/** The demo's Cambodian girl (packages/cli/src/scenario/outgoing-handover.ts). */
const VICTIM = { fullName: 'Chan Sreymom', dateOfBirth: '2008-06-21' };
const DESK = 'kh-bavet';
const WAIT_MS = 30_000;

type Packet = { seq: number; packetId: string; stage: string; packetSha256: string; packet: { deskId: string; handoverId: string; persons: { personId: string; fields?: Record<string, string>; withheld?: string }[] } };
type Pulled = { deskId: string; pages: number; last: number; packets: Packet[]; rejected: unknown[] };

const dataDir = mkdtempSync(join(tmpdir(), 'nrm-e2e-liaison-'));
const keysFile = join(dataDir, 'desks', `${DESK}.private.json`);
let backbone: NrmProcess;
let demo: { code: number | null; stdout: string; stderr: string };
let handover: { handoverId: string; caseId: string; personId: string };
let completedPacketId: string;

const deskClient = (args: string[]) => runNrm(['desk-client', ...args, '--url', backbone.url, '--data-dir', dataDir], { timeoutMs: WAIT_MS });

beforeAll(async () => {
  backbone = await startNrm(['--port', '0', '--data-dir', dataDir], { timeoutMs: WAIT_MS });
  demo = await runNrm(['demo', '--url', backbone.url, '--data-dir', dataDir], { timeoutMs: 90_000 });
}, 150_000);

afterAll(async () => {
  await backbone?.stop();
  rmSync(dataDir, { recursive: true, force: true });
}, WAIT_MS);

describe('a handover to the Cambodian desk, played with the example desk client', { timeout: 120_000 }, () => {
  it('nrm demo hands a Cambodian girl over through Mộc Bài to desk kh-bavet and says how to read its feed', () => {
    expect(demo.code, demo.stderr).toBe(0);
    expect(demo.stdout).toMatch(/Every referral was accepted by its receiver/);
    const [, handoverId, caseId, personId] = /Handover (\S+) of case (\S+) \(person (\S+)\): 3 signed packets for desk kh-bavet/.exec(demo.stdout) ?? [];
    expect(handoverId, demo.stdout).toBeDefined();
    handover = { handoverId: handoverId!, caseId: caseId!, personId: personId! };
    const stages = [...demo.stdout.matchAll(/^ {2}seq \d+\s+(planned|scheduled|completed)\s+(\S+)/gm)].map(([, stage, packetId]) => ({ stage, packetId }));
    expect(stages.map(({ stage }) => stage)).toEqual(['planned', 'scheduled', 'completed']);
    completedPacketId = stages[2]!.packetId!;
    expect(demo.stdout).toContain(`nrm desk-client pull --desk ${DESK} --keys ${keysFile}`);
    // The desk's private keys stay with it (0600); what was registered is public only.
    expect(statSync(keysFile).mode & 0o777).toBe(0o600);
    const registered = JSON.parse(readFileSync(join(dataDir, 'desks', `${DESK}.jwks.json`), 'utf8')) as { keys: Record<string, unknown>[] };
    expect(registered.keys.map((key) => key.use)).toEqual(['sig', 'enc']);
    expect(registered.keys.some((key) => 'd' in key)).toBe(false);
  });

  it('nrm desk-client pull pages the feed, verifies every packet and decrypts the girl’s name and birth date', async () => {
    const pulled = await deskClient(['pull', '--desk', DESK, '--keys', keysFile, '--limit', '1']);
    expect(pulled.code, pulled.stderr).toBe(0);
    const answer = JSON.parse(pulled.stdout) as Pulled;
    expect(answer).toMatchObject({ deskId: DESK, last: 3, rejected: [] });
    expect(answer.pages).toBe(3);
    expect(answer.packets.map((packet) => packet.stage)).toEqual(['planned', 'scheduled', 'completed']);
    for (const { packet } of answer.packets) {
      expect(packet).toMatchObject({ deskId: DESK, handoverId: handover.handoverId });
      expect(packet.persons).toEqual([expect.objectContaining({ personId: handover.personId, fields: VICTIM })]);
    }
    const rest = JSON.parse((await deskClient(['pull', '--desk', DESK, '--keys', keysFile, '--after', '2'])).stdout) as Pulled;
    expect(rest.packets.map((packet) => packet.packetId)).toEqual([completedPacketId]);
  });

  it('nrm desk-client ack acknowledges the completed packet, and the case history shows it', async () => {
    const received = await deskClient(['ack', '--desk', DESK, '--keys', keysFile, '--packet', completedPacketId, '--kind', 'received']);
    expect(received.code, received.stderr).toBe(0);
    const answer = JSON.parse(received.stdout) as { eventId: string; duplicate: boolean; acknowledgement: { kind: string; kid: string } };
    expect(answer).toMatchObject({ duplicate: false, acknowledgement: { packetId: completedPacketId, kind: 'received', kid: expect.stringMatching(/^kh-bavet-sig-\d{6}$/) } });
    const person = await deskClient(['ack', '--desk', DESK, '--keys', keysFile, '--packet', completedPacketId, '--kind', 'person-received', '--person', handover.personId]);
    expect(person.code, person.stderr).toBe(0);

    const keys = await loadOrCreateDevKeys(dataDir);
    const auditor = await mintToken({ privateKey: keys.privateKey, kid: keys.kid, subject: 'e2e-auditor', roles: ['auditor'], agency: 'audit', ttlSeconds: 600 });
    // The audit archive fills from the bus: wait, bounded, until it holds the acknowledgement.
    const deadline = Date.now() + WAIT_MS;
    let events: { id: string; type: string; agency: string }[] = [];
    while (!events.some((event) => event.id === answer.eventId) && Date.now() < deadline) {
      const response = await fetch(`${backbone.url}/v1/audit/cases/${handover.caseId}`, { headers: { authorization: `Bearer ${auditor}` }, signal: AbortSignal.timeout(10_000) });
      if (response.ok) events = ((await response.json()) as { events: typeof events }).events;
      else await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(events.find((event) => event.id === answer.eventId), `the case history of ${handover.caseId}`).toMatchObject({ type: 'liaison.HandoverAcknowledged', agency: 'liaison' });
    const types = events.map((event) => event.type);
    expect(types.filter((type) => type === 'liaison.HandoverPacketIssued')).toHaveLength(3);
    expect(types).toEqual(expect.arrayContaining(['rescue.HandoverPlanned', 'rescue.HandoverScheduled', 'rescue.HandoverCompleted', 'protection.ConsentRecorded']));
    expect(JSON.stringify(events)).not.toContain(VICTIM.fullName);
  });

  it('saves a receipt that the documented jwcrypto command verifies offline, and rejects once one byte of the packet changed', async (context) => {
    const python = `/usr/bin:${process.env.PATH ?? ''}`;
    // The check must run a stock JOSE tool outside the project's code, which npm cannot bring:
    // CI installs python3-jwcrypto, so CI always runs it; a machine without it says why it skipped.
    if (spawnSync('python3', ['-c', 'import jwcrypto'], { env: { ...process.env, PATH: python } }).status !== 0) {
      context.skip('the offline check needs the Debian package python3-jwcrypto (apt-get install python3-jwcrypto)');
    }
    const command = /<!-- verify-liaison-receipt[^\n]*-->\n```sh\n([\s\S]*?)```/.exec(readFileSync(new URL('../../docs/liaison.md', import.meta.url), 'utf8'))?.[1];
    expect(command, 'the verify-liaison-receipt block of docs/liaison.md').toBeDefined();
    const dir = mkdtempSync(join(tmpdir(), 'nrm-liaison-receipt-'));
    try {
      const saved = await deskClient(['receipt', '--desk', DESK, '--packet', completedPacketId, '--out', dir]);
      expect(saved.code, saved.stderr).toBe(0);
      expect(JSON.parse(saved.stdout)).toMatchObject({ acknowledgements: 2, files: ['packet.jws', 'ack-1.jws', 'ack-2.jws', 'backbone.jwks.json', 'desk.jwks.json'] });
      const verify = () => spawnSync('bash', ['-euo', 'pipefail', '-c', command!], { cwd: dir, encoding: 'utf8', env: { ...process.env, PATH: python }, timeout: WAIT_MS });
      const valid = verify();
      expect(valid.status, valid.stderr).toBe(0);
      expect(valid.stdout).toMatch(new RegExp(`receipt of packet ${completedPacketId} verified: 2 acknowledgement`));
      const packet = readFileSync(join(dir, 'packet.jws'));
      const middle = packet.indexOf('.') + Math.floor((packet.lastIndexOf('.') - packet.indexOf('.')) / 2);
      packet[middle] = packet[middle] === 0x41 ? 0x42 : 0x41;
      writeFileSync(join(dir, 'packet.jws'), packet);
      const tampered = verify();
      expect(tampered.status).not.toBe(0);
      expect(tampered.stderr).toMatch(/InvalidJWSSignature/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
