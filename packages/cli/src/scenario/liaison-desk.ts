// The Cambodian liaison desk of the demo: registered once by the standing office's administrator,
// with keys made the way `nrm desk-client keys` makes them and kept in the data directory
// (<data-dir>/desks/), so that `nrm desk-client pull` can play the desk and read its packets.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadOrCreateDevKeys, mintToken } from '@nrm/service-kit';
import type { BackboneClient } from '../backbone-client.ts';
import { deskKeyFiles, generateDeskKeys, publicJwkOf, readDeskKeys, writeDeskKeys } from '../commands/desk-client-keys.ts';
import type { DeskKeyFiles } from '../commands/desk-client-keys.ts';

export const DEMO_DESK = {
  deskId: 'kh-bavet',
  country: 'KH',
  name: 'Border liaison office, Bavet',
  borderGates: ['Mộc Bài'],
  language: 'km',
  fieldProfile: ['fullName', 'dateOfBirth'],
  contact: { office: 'Svay Rieng provincial police, anti-trafficking office' },
} as const;

export type DemoDesk = DeskKeyFiles & {
  deskId: string;
  /** True when this run registered it; false when it was registered before. */
  registered: boolean;
  /** Why the key files cannot read this desk's packets, when they cannot. */
  warning?: string;
};

async function liaison(baseUrl: string, token: string, method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${baseUrl}/v1/liaison${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await response.text();
  return { status: response.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/** Registers the demo desk if no desk of that id is registered yet; its private keys are in <dataDir>/desks/. */
export async function ensureDemoDesk(baseUrl: string, dataDir: string): Promise<DemoDesk> {
  const { deskId } = DEMO_DESK;
  const keys = await loadOrCreateDevKeys(dataDir);
  const admin = await mintToken({ privateKey: keys.privateKey, kid: keys.kid, subject: 'nrm-demo-standing-office-admin', roles: ['standing-office-admin'], ttlSeconds: 300 });
  const dir = join(dataDir, 'desks');
  const files = deskKeyFiles(dir, deskId);
  const known = await liaison(baseUrl, admin, 'GET', `/desks/${deskId}`);
  if (known.status === 200) {
    const registeredKids = ((known.json.keys as { keys?: { kid: string }[] } | undefined)?.keys ?? []).map((key) => key.kid);
    const heldKids = existsSync(files.privateFile) ? readDeskKeys(files.privateFile).map((key) => key.kid) : [];
    const readable = registeredKids.some((kid) => heldKids.includes(kid) && kid.includes('-enc-'));
    return { deskId, ...files, registered: false, ...(readable ? {} : { warning: `desk ${deskId} was registered with other keys than ${files.privateFile} holds: its packets cannot be decrypted with that file` }) };
  }
  if (known.status !== 404) throw new Error(`GET /v1/liaison/desks/${deskId} → ${known.status}: ${JSON.stringify(known.json)}`);
  // A key file left by an earlier backbone in this data directory is reused: a desk keeps its keys.
  const privateKeys = existsSync(files.privateFile) ? readDeskKeys(files.privateFile) : await generateDeskKeys(deskId);
  if (!existsSync(files.privateFile)) writeDeskKeys(dir, deskId, privateKeys);
  const publicKeys = existsSync(files.publicFile) ? (JSON.parse(readFileSync(files.publicFile, 'utf8')) as { keys: unknown[] }) : { keys: privateKeys.map(publicJwkOf) };
  const registered = await liaison(baseUrl, admin, 'POST', '/desks', { ...DEMO_DESK, borderGates: [...DEMO_DESK.borderGates], fieldProfile: [...DEMO_DESK.fieldProfile], keys: publicKeys });
  if (registered.status !== 201) throw new Error(`registering desk ${deskId} → ${registered.status}: ${JSON.stringify(registered.json)}`);
  return { deskId, ...files, registered: true };
}

export type DeskFeedItem = { seq: number; packetId: string; handoverId: string; stage: string; issuedAt: string; acknowledgeBy: string };

/** Waits (bounded, as the client waits) until the desk's feed holds a packet for each of `stages` of the handover. */
export async function deskPacketsOf(client: BackboneClient, baseUrl: string, dataDir: string, deskId: string, handoverId: string, stages: readonly string[]): Promise<DeskFeedItem[]> {
  const keys = await loadOrCreateDevKeys(dataDir);
  const desk = await mintToken({ privateKey: keys.privateKey, kid: keys.kid, subject: deskId, roles: ['desk'], country: deskId.slice(0, 2).toUpperCase(), ttlSeconds: 300 });
  return client.waitFor(`the liaison service to issue the packets of handover ${handoverId} to ${deskId}`, async () => {
    const found: DeskFeedItem[] = [];
    for (let after: number | null = 0; after !== null; ) {
      const page = await liaison(baseUrl, desk, 'GET', `/desks/${deskId}/feed?after=${after}&limit=200`);
      if (page.status !== 200) throw new Error(`GET /v1/liaison/desks/${deskId}/feed → ${page.status}: ${JSON.stringify(page.json)}`);
      const items = page.json.items as (DeskFeedItem & { packet?: string })[];
      found.push(...items.filter((item) => item.handoverId === handoverId).map(({ packet: _packet, ...item }) => item));
      after = page.json.next as number | null;
    }
    return stages.every((stage) => found.some((item) => item.stage === stage)) ? found : undefined;
  });
}
