// `nrm desk-client`: an example liaison desk, for the developers of a foreign desk to read and
// copy. Its desk side uses `jose` and node built-ins only (desk-client-keys.ts,
// desk-client-packets.ts), never the backbone's own code: make the desk's keys, pull and check
// the feed, acknowledge a packet, save a receipt for an offline check (docs/liaison.md).
// Only the development token it mints when given none comes from the backbone's dev tooling.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { JSONWebKeySet } from 'jose';
import { loadOrCreateDevKeys, mintToken } from '@nrm/service-kit';
import { resolveBackboneTarget } from '../backbone-target.ts';
import { CliError } from '../cli-error.ts';
import type { Command, ParsedArgs } from '../command.ts';
import { ensureWritableDataDir } from '../data-dir.ts';
import { generateDeskKeys, readDeskKeys, writeDeskKeys } from './desk-client-keys.ts';
import type { DeskJwk } from './desk-client-keys.ts';
import { signAcknowledgement, verifyPacket } from './desk-client-packets.ts';
import type { AcknowledgementInput, FeedItem, RejectedPacket, VerifiedPacket } from './desk-client-packets.ts';

const SUBCOMMANDS = {
  keys: ['nrm desk-client keys --desk <deskId> --out <dir>', "make the desk's signing and encryption keys: <dir>/<deskId>.private.json (keep it) and <dir>/<deskId>.jwks.json (register it)"],
  pull: ['nrm desk-client pull --desk <deskId> --keys <private.json> [--after N] [--limit N]', 'page the feed, verify every packet, decrypt its personal data; prints JSON'],
  ack: ['nrm desk-client ack --desk <deskId> --keys <private.json> --packet <id> --kind received|person-received|discrepancy [--person <id>] [--reason text]', 'sign and send an acknowledgement'],
  receipt: ['nrm desk-client receipt --packet <id> --out <dir> [--desk <deskId>]', 'save packet.jws, ack-N.jws, backbone.jwks.json, desk.jwks.json for an offline check'],
} as const;
type Subcommand = keyof typeof SUBCOMMANDS;
const subcommandList = Object.values(SUBCOMMANDS)
  .map(([usage, summary]) => `  ${usage}\n      ${summary}`)
  .join('\n');

const ACK_KINDS = ['received', 'person-received', 'discrepancy'] as const;
/** The feed's largest page. */
const PAGE_MAX = 200;

type Values = ParsedArgs['values'];
const text = (values: Values, name: string) => values[name] as string | undefined;

function required(values: Values, name: string, subcommand: Subcommand): string {
  const value = text(values, name);
  if (value === undefined || value === '') throw new CliError(`--${name} is required: ${SUBCOMMANDS[subcommand][0]}`);
  return value;
}

function deskIdOf(values: Values, subcommand: Subcommand): string {
  const deskId = required(values, 'desk', subcommand);
  if (!/^[a-z]{2}-[a-z0-9][a-z0-9-]{1,62}$/.test(deskId)) throw new CliError(`--desk ${JSON.stringify(deskId)}: a desk id is "<country>-<name>" in lowercase, e.g. kh-bavet`);
  return deskId;
}

function keysOf(values: Values, subcommand: Subcommand): DeskJwk[] {
  const file = required(values, 'keys', subcommand);
  try {
    return readDeskKeys(file);
  } catch (error) {
    throw new CliError(`--keys ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

function liaisonUrlOf(flag: string | undefined): string {
  const { baseUrl } = resolveBackboneTarget(flag);
  const url = typeof baseUrl === 'string' ? baseUrl : baseUrl.liaison;
  if (!url) throw new CliError('--url: give the liaison service too (liaison=http://…)');
  return url;
}

/**
 * --token or NRM_TOKEN; otherwise a development token from the local dev key the backbone
 * trusts: the desk's own (role desk, subject its id, country from the id) when --desk is given,
 * else an auditor's (a receipt is for either side's auditors too).
 */
async function tokenOf(values: Values): Promise<string> {
  const given = text(values, 'token') ?? process.env.NRM_TOKEN;
  if (given) return given;
  const keys = await loadOrCreateDevKeys(ensureWritableDataDir(text(values, 'data-dir') ?? process.env.NRM_DATA_DIR ?? './data'));
  const deskId = text(values, 'desk');
  const claims = deskId ? { subject: deskId, roles: ['desk'], country: deskId.slice(0, 2).toUpperCase() } : { subject: 'dev-desk-client-auditor', roles: ['auditor'], agency: 'audit' as const };
  return mintToken({ privateKey: keys.privateKey, kid: keys.kid, ttlSeconds: 300, ...claims });
}

async function call<T>(url: string, token: string | null, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(15_000),
    });
  } catch (error) {
    throw new CliError(`no backbone answers at ${url} (${(error as Error).message}): give --url`, 1);
  }
  const answer = await response.text();
  const json = (answer ? JSON.parse(answer) : {}) as T & { title?: string; rule?: string; detail?: string };
  if (!response.ok) throw new CliError(`${body === undefined ? 'GET' : 'POST'} ${new URL(url).pathname} → ${response.status} ${json.title ?? ''}${json.rule ? ` (${json.rule})` : ''}${json.detail ? `: ${json.detail}` : ''}`, 1);
  return json;
}

type Session = { baseUrl: string; token: string };

/** Every feed item after `after`, page by page (`next` is null once the feed is read to its end). */
async function readFeed({ baseUrl, token }: Session, deskId: string, after: number, limit = PAGE_MAX): Promise<{ items: FeedItem[]; pages: number }> {
  const items: FeedItem[] = [];
  let pages = 0;
  for (let cursor: number | null = after; cursor !== null; pages++) {
    const page: { items: FeedItem[]; next: number | null } = await call(`${baseUrl}/v1/liaison/desks/${deskId}/feed?after=${cursor}&limit=${limit}`, token);
    items.push(...page.items);
    cursor = page.next;
  }
  return { items, pages };
}

/** The backbone's public keys: a packet is trusted only if one of them signed it. */
const backboneKeysOf = (baseUrl: string) => call<JSONWebKeySet>(`${baseUrl}/v1/liaison/.well-known/jwks.json`, null);

function limitOf(values: Values): number {
  const limit = Number(text(values, 'limit') ?? PAGE_MAX);
  if (!Number.isInteger(limit) || limit < 1 || limit > PAGE_MAX) throw new CliError(`--limit ${text(values, 'limit')}: packets per page, 1 to ${PAGE_MAX}`);
  return limit;
}

function afterOf(values: Values): number {
  const after = Number(text(values, 'after') ?? 0);
  if (!Number.isSafeInteger(after) || after < 0) throw new CliError(`--after ${text(values, 'after')}: the seq of the last packet already read (0 for all)`);
  return after;
}

async function pull(values: Values, session: Session): Promise<number> {
  const deskId = deskIdOf(values, 'pull');
  const keys = keysOf(values, 'pull');
  const after = afterOf(values);
  const { items, pages } = await readFeed(session, deskId, after, limitOf(values));
  const backboneKeys = await backboneKeysOf(session.baseUrl);
  const packets: VerifiedPacket[] = [];
  const rejected: RejectedPacket[] = [];
  for (const item of items) {
    try {
      packets.push(await verifyPacket(item, deskId, backboneKeys, keys));
    } catch (error) {
      rejected.push({ seq: item.seq, packetId: item.packetId, reason: (error as Error).message });
    }
  }
  process.stdout.write(`${JSON.stringify({ deskId, after, pages, last: items.at(-1)?.seq ?? after, packets, rejected }, null, 2)}\n`);
  if (rejected.length > 0) process.stderr.write(`nrm: ${rejected.length} packet(s) failed verification and are not to be trusted: ${rejected.map((packet) => `seq ${packet.seq}: ${packet.reason}`).join('; ')}\n`);
  return rejected.length > 0 ? 1 : 0;
}

function acknowledgementOf(values: Values): AcknowledgementInput {
  const kind = required(values, 'kind', 'ack');
  if (!(ACK_KINDS as readonly string[]).includes(kind)) throw new CliError(`--kind ${kind}: one of ${ACK_KINDS.join(', ')}`);
  const personId = text(values, 'person');
  const reason = text(values, 'reason');
  if ((kind === 'person-received') !== (personId !== undefined)) throw new CliError('--person is given exactly with --kind person-received');
  if (kind === 'discrepancy' && reason === undefined) throw new CliError('--kind discrepancy needs --reason: what differs');
  return { kind: kind as AcknowledgementInput['kind'], ...(personId ? { personId } : {}), ...(reason ? { reason } : {}) };
}

async function ack(values: Values, session: Session): Promise<number> {
  const deskId = deskIdOf(values, 'ack');
  const keys = keysOf(values, 'ack');
  const packetId = required(values, 'packet', 'ack');
  const input = acknowledgementOf(values);
  // The packet as this desk received it from its feed: the acknowledgement names these exact bytes.
  const item = (await readFeed(session, deskId, afterOf(values))).items.find((candidate) => candidate.packetId === packetId);
  if (!item) throw new CliError(`packet ${packetId} is not in the feed of ${deskId}`, 1);
  try {
    await verifyPacket(item, deskId, await backboneKeysOf(session.baseUrl), keys);
  } catch (error) {
    throw new CliError(`packet ${packetId} failed verification, not acknowledged: ${(error as Error).message}`, 1);
  }
  const jws = await signAcknowledgement(item, input, keys);
  const answer = await call(`${session.baseUrl}/v1/liaison/desks/${deskId}/acknowledgements`, session.token, { jws });
  process.stdout.write(`${JSON.stringify(answer, null, 2)}\n`);
  return 0;
}

type Receipt = { packet: string; packetSha256: string; acknowledgements: string[]; backboneKeys: JSONWebKeySet; deskKeys: JSONWebKeySet };

async function receipt(values: Values, session: Session): Promise<number> {
  const packetId = required(values, 'packet', 'receipt');
  const out = resolve(required(values, 'out', 'receipt'));
  const answer = await call<Receipt>(`${session.baseUrl}/v1/liaison/packets/${encodeURIComponent(packetId)}/receipt`, session.token);
  mkdirSync(out, { recursive: true });
  const files: Record<string, string> = {
    'packet.jws': answer.packet,
    ...Object.fromEntries(answer.acknowledgements.map((jws, index) => [`ack-${index + 1}.jws`, jws])),
    'backbone.jwks.json': `${JSON.stringify(answer.backboneKeys, null, 2)}\n`,
    'desk.jwks.json': `${JSON.stringify(answer.deskKeys, null, 2)}\n`,
  };
  for (const [name, content] of Object.entries(files)) writeFileSync(join(out, name), content);
  process.stdout.write(`${JSON.stringify({ packetId, packetSha256: answer.packetSha256, acknowledgements: answer.acknowledgements.length, dir: out, files: Object.keys(files) }, null, 2)}\n`);
  return 0;
}

async function keys(values: Values): Promise<number> {
  const deskId = deskIdOf(values, 'keys');
  const out = required(values, 'out', 'keys');
  let files;
  try {
    files = writeDeskKeys(out, deskId, await generateDeskKeys(deskId));
  } catch (error) {
    throw new CliError((error as Error).message);
  }
  process.stdout.write(`${JSON.stringify({ deskId, ...files, register: `send ${files.publicFile} (public keys only) to the standing office; keep ${files.privateFile} on this machine` }, null, 2)}\n`);
  return 0;
}

export const deskClientCommand: Command = {
  name: 'desk-client',
  summary: "an example liaison desk (jose only): make keys, pull and verify the feed, acknowledge, save a receipt",
  usage: 'nrm desk-client keys|pull|ack|receipt [options]',
  details: [
    `Subcommands:\n${subcommandList}`,
    '',
    'Without --token, a short-lived development token is minted from the local dev key in --data-dir: the desk’s own with --desk, else an auditor’s. Exit 1 when the backbone refuses or a packet fails verification, 2 on bad usage.',
    'See docs/liaison.md.',
  ].join('\n'),
  allowPositionals: true,
  options: {
    desk: { type: 'string', description: 'the desk id, e.g. kh-bavet' },
    keys: { type: 'string', description: "pull, ack: the desk's private key file (<deskId>.private.json)" },
    out: { type: 'string', description: 'keys, receipt: the directory to write to' },
    after: { type: 'string', description: 'pull, ack: read the feed after this seq (default 0: from the first packet)' },
    limit: { type: 'string', description: `pull: packets per page of the feed (default and most ${PAGE_MAX})` },
    packet: { type: 'string', description: 'ack, receipt: the packet id' },
    kind: { type: 'string', description: `ack: ${ACK_KINDS.join(', ')}` },
    person: { type: 'string', description: 'ack: the personId, with --kind person-received' },
    reason: { type: 'string', description: 'ack: what differs, with --kind discrepancy' },
    url: { type: 'string', description: 'the running backbone (NRM_URL; default http://127.0.0.1:8080)' },
    token: { type: 'string', description: 'the desk’s access token (NRM_TOKEN; default: minted from the dev key)' },
    'data-dir': { type: 'string', description: 'where the dev key the backbone trusts lives (NRM_DATA_DIR; default ./data)' },
  },
  async run({ values, positionals }) {
    const [subcommand, ...extra] = positionals;
    if (subcommand === undefined || !(subcommand in SUBCOMMANDS)) throw new CliError(`${subcommand === undefined ? 'a subcommand is required' : `unknown desk-client subcommand ${JSON.stringify(subcommand)}`}; use one of:\n${subcommandList}`);
    if (extra.length > 0) throw new CliError(`unexpected ${extra.map((value) => JSON.stringify(value)).join(' ')}: ${SUBCOMMANDS[subcommand as Subcommand][0]}`);
    const name = subcommand as Subcommand;
    if (name === 'keys') return keys(values);
    const session = { baseUrl: liaisonUrlOf(text(values, 'url')), token: await tokenOf(values) };
    switch (name) {
      case 'pull':
        return pull(values, session);
      case 'ack':
        return ack(values, session);
      case 'receipt':
        return receipt(values, session);
      default: {
        const _never: never = name;
        throw new CliError(`unknown desk-client subcommand ${String(_never)}`);
      }
    }
  },
};
