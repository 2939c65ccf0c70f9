// `nrm desk`: the standing office's administrator keeps the registry of foreign liaison desks
// through the backbone's API (/v1/liaison/desks): register a desk from a JSON file, list and
// show desks, change a desk's profile, rotate its public keys. Prints the answer as JSON; a
// refusal prints the problem (its rule or the fields at fault) and exits 1.
import { readFileSync } from 'node:fs';
import { DeskIdSchema } from '@nrm/contracts';
import { loadOrCreateDevKeys, mintToken } from '@nrm/service-kit';
import { resolveBackboneTarget } from '../backbone-target.ts';
import { CliError } from '../cli-error.ts';
import type { Command, ParsedArgs } from '../command.ts';
import { ensureWritableDataDir } from '../data-dir.ts';

export type DeskRequest = { method: 'GET' | 'POST' | 'PUT'; path: string; body?: unknown; ifMatch?: string };

/** Each subcommand: its usage, and what it does. */
const SUBCOMMANDS = {
  register: ['nrm desk register --file desk.json', 'register a desk (the DeskRegistered payload: deskId, country, name, borderGates, language, fieldProfile, contact, keys)'],
  list: ['nrm desk list', 'list the registered desks'],
  show: ['nrm desk show <deskId>', 'show one desk'],
  'rotate-keys': ['nrm desk rotate-keys <deskId> --file jwks.json', 'replace its public keys by the JWKS in the file'],
  profile: ['nrm desk profile <deskId> --file profile.json', 'change its name, gates, language, field profile or contact'],
} as const;
const subcommandList = Object.values(SUBCOMMANDS)
  .map(([usage, summary]) => `  ${usage.padEnd(48)} ${summary}`)
  .join('\n');
type Subcommand = keyof typeof SUBCOMMANDS;

/** RFC 7518 §6: members holding private key material. Refused here so a private key never even leaves this machine. */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

function readJsonFile(file: string | undefined, what: string): unknown {
  if (file === undefined) throw new CliError(`--file is required: the ${what} as JSON`);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new CliError(`${file} is not JSON: ${(error as Error).message}`);
  }
}

function refusePrivateKeys(jwks: unknown, file: string): void {
  const keys = (jwks as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys)) return;
  keys.forEach((key: unknown, index) => {
    const found = typeof key === 'object' && key !== null ? PRIVATE_MEMBERS.filter((member) => member in key) : [];
    if (found.length > 0) {
      throw new CliError(`${file}: key ${index} holds private key material (${found.join(', ')}): a desk registers only its public keys, and this private key should now be replaced`);
    }
  });
}

function deskIdOf(positional: string | undefined, subcommand: Subcommand): string {
  if (positional === undefined) throw new CliError(`the desk id is missing: ${SUBCOMMANDS[subcommand][0]}`);
  if (!DeskIdSchema.safeParse(positional).success) throw new CliError(`${JSON.stringify(positional)} is not a desk id: "<country>-<name>" in lowercase, e.g. kh-bavet`);
  return positional;
}

function ifMatchOf(values: ParsedArgs['values']): string | undefined {
  const text = values['if-match'] as string | undefined;
  if (text === undefined) return undefined;
  if (!/^(0|[1-9][0-9]{0,15})$/.test(text)) throw new CliError(`--if-match ${text}: must be the desk's revision, a whole number (its ETag without quotes)`);
  return `"${text}"`;
}

/** What a command line asks of the API; bad usage fails here, before anything is sent. */
export function deskRequestOf({ values, positionals }: ParsedArgs): DeskRequest {
  const [subcommand, deskIdText, ...extra] = positionals;
  if (subcommand === undefined || !(subcommand in SUBCOMMANDS)) {
    throw new CliError(`${subcommand === undefined ? 'a subcommand is required' : `unknown desk subcommand ${JSON.stringify(subcommand)}`}; use one of:\n${subcommandList}`);
  }
  const name = subcommand as Subcommand;
  const takesDeskId = name !== 'register' && name !== 'list';
  const surplus = takesDeskId ? extra : [deskIdText, ...extra].filter((value) => value !== undefined);
  if (surplus.length > 0) throw new CliError(`unexpected ${surplus.map((value) => JSON.stringify(value)).join(' ')}: ${SUBCOMMANDS[name][0]}`);
  const file = values.file as string | undefined;
  if (file !== undefined && (name === 'list' || name === 'show')) throw new CliError(`nrm desk ${name} takes no --file`);
  const ifMatch = ifMatchOf(values);
  if (ifMatch !== undefined && name !== 'profile' && name !== 'rotate-keys') throw new CliError('--if-match applies to profile and rotate-keys only');
  const withIfMatch = ifMatch === undefined ? {} : { ifMatch };
  switch (name) {
    case 'register': {
      const desk = readJsonFile(file, 'desk');
      refusePrivateKeys((desk as { keys?: unknown } | null)?.keys, file!);
      return { method: 'POST', path: '/desks', body: desk };
    }
    case 'list':
      return { method: 'GET', path: '/desks' };
    case 'show':
      return { method: 'GET', path: `/desks/${deskIdOf(deskIdText, name)}` };
    case 'rotate-keys': {
      const deskId = deskIdOf(deskIdText, name);
      const jwks = readJsonFile(file, 'new key set (a JWKS: {"keys": [...]})');
      refusePrivateKeys(jwks, file!);
      return { method: 'PUT', path: `/desks/${deskId}/keys`, body: { keys: jwks }, ...withIfMatch };
    }
    case 'profile': {
      const deskId = deskIdOf(deskIdText, name);
      return { method: 'PUT', path: `/desks/${deskId}/profile`, body: readJsonFile(file, 'profile'), ...withIfMatch };
    }
    default: {
      const _never: never = name;
      throw new CliError(`unknown desk subcommand ${String(_never)}`);
    }
  }
}

type Problem = { title?: string; status?: number; detail?: string; rule?: string; errors?: { field: string; message: string }[] };

/** A refusal as the administrator needs it: the rule, or each field at fault on its own line. */
export function problemMessage(request: DeskRequest, status: number, problem: Problem): string {
  const head = `${request.method} /v1/liaison${request.path} → ${status} ${problem.title ?? ''}${problem.rule ? ` (${problem.rule})` : ''}`;
  const fields = problem.errors?.length ? problem.errors.map((issue) => `\n  ${issue.field}: ${issue.message}`).join('') : problem.detail ? `\n  ${problem.detail}` : '';
  return `${head}${fields}`;
}

function liaisonUrlOf(flag: string | undefined): string {
  const { baseUrl } = resolveBackboneTarget(flag);
  const url = typeof baseUrl === 'string' ? baseUrl : baseUrl.liaison;
  if (!url) throw new CliError('--url: give the liaison service too (liaison=http://…), or --url standalone');
  return url;
}

async function tokenOf(values: ParsedArgs['values']): Promise<string> {
  const given = (values.token as string | undefined) ?? process.env.NRM_TOKEN;
  if (given) return given;
  // Without a token, act as the local standing office administrator: the dev key `nrm start` trusts.
  const keys = await loadOrCreateDevKeys(ensureWritableDataDir((values['data-dir'] as string | undefined) ?? process.env.NRM_DATA_DIR ?? './data'));
  return mintToken({ privateKey: keys.privateKey, kid: keys.kid, subject: 'dev-standing-office-admin', roles: ['standing-office-admin'], ttlSeconds: 300 });
}

export async function sendDeskRequest(baseUrl: string, token: string, request: DeskRequest): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(`${baseUrl}/v1/liaison${request.path}`, {
      method: request.method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(request.ifMatch === undefined ? {} : { 'if-match': request.ifMatch }),
      },
      ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
      signal: AbortSignal.timeout(15_000),
    });
  } catch (error) {
    throw new CliError(`no backbone answers at ${baseUrl} (${(error as Error).message}): start it with \`npm start\`, or give --url`, 1);
  }
  const text = await response.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : {};
  } catch {
    throw new CliError(`${request.method} /v1/liaison${request.path} → ${response.status}: the answer is not JSON`, 1);
  }
  if (!response.ok) throw new CliError(problemMessage(request, response.status, json as Problem), 1);
  return json;
}

export const deskCommand: Command = {
  name: 'desk',
  summary: 'register foreign liaison desks, list and show them, change a profile, rotate keys',
  usage: 'nrm desk register|list|show|rotate-keys|profile [<deskId>] [--file <json>] [options]',
  details: [
    `Subcommands:\n${subcommandList}`,
    '',
    'Rotating keys without downtime: rotate to a set holding the old and the new keys, let the desk switch to the new ones, then rotate to the new keys alone.',
    'Without --token, a short-lived standing-office-admin token is minted from the local dev key in --data-dir. Exit 1 when the backbone refuses, 2 on bad usage.',
  ].join('\n'),
  allowPositionals: true,
  options: {
    file: { type: 'string', description: 'the JSON file: a desk (register), a JWKS (rotate-keys), a profile (profile)' },
    'if-match': { type: 'string', description: "profile, rotate-keys: the desk revision you read (its ETag); refused if it changed since" },
    url: { type: 'string', description: 'the running backbone (NRM_URL; default http://127.0.0.1:8080)' },
    token: { type: 'string', description: 'an access token with the standing-office-admin role (NRM_TOKEN; default: minted from the dev key)' },
    'data-dir': { type: 'string', description: 'where the dev key the backbone trusts lives (NRM_DATA_DIR; default ./data)' },
  },
  async run(args) {
    const request = deskRequestOf(args);
    const baseUrl = liaisonUrlOf(args.values.url as string | undefined);
    const answer = await sendDeskRequest(baseUrl, await tokenOf(args.values), request);
    process.stdout.write(`${JSON.stringify(answer, null, 2)}\n`);
    return 0;
  },
};
