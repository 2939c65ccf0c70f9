// `nrm verify inclusion` and `nrm verify consistency`: an auditor's own check of the audit
// service's verifiable log. Nothing the service says is taken on trust: tree heads are checked
// against its published JWKS, proofs are recomputed here with the RFC 9162 algorithms, and an
// event's leaf is rehashed from its envelope. Exit 0 when everything verifies, 1 naming what
// failed, 2 on bad usage or when the service cannot be asked.
import { readFile, writeFile } from 'node:fs/promises';
import { compactVerify, createLocalJWKSet } from 'jose';
import type { JSONWebKeySet } from 'jose';
import { z } from 'zod';
import { leafHash, verifyConsistency, verifyInclusion } from '@nrm/audit';
import { canonicalize } from '@nrm/contracts';
import { ApiError, createBackboneClient } from '../backbone-client.ts';
import { CliError } from '../cli-error.ts';

export const TREE_HEAD_TYPE = 'nrm-tree-head+jws';

const SignedTreeHeadSchema = z.object({
  treeSize: z.int().min(0),
  rootHash: z.base64(),
  timestamp: z.string(),
  logId: z.string(),
  signature: z.string(),
});
export type SignedTreeHead = z.infer<typeof SignedTreeHeadSchema>;

export type InclusionProof = { eventId: string; leafIndex: number; treeSize: number; leafHash: string; auditPath: string[]; envelope: string };
export type ConsistencyProof = { first: number; second: number; proof: string[] };

/** What the commands ask of the audit service; over HTTP in use, a fake in the unit tests. */
export type AuditLogSource = {
  jwks(): Promise<JSONWebKeySet>;
  treeHead(treeSize?: number): Promise<SignedTreeHead>;
  /** Undefined when the log has no such event. */
  inclusionProof(eventId: string, treeSize: number): Promise<InclusionProof | undefined>;
  consistencyProof(first: number, second: number): Promise<ConsistencyProof>;
};

export type Verdict = { ok: boolean; lines: string[] };

const hash = (base64: string) => Buffer.from(base64, 'base64');
const describeHead = (head: SignedTreeHead) => `tree head of ${head.treeSize} leaves (root ${head.rootHash}, signed ${head.timestamp} by ${head.logId})`;

/** Null when the head's JWS verifies against the key set and signs exactly the head's fields; else what is wrong. */
export async function treeHeadProblem(head: SignedTreeHead, jwks: JSONWebKeySet): Promise<string | null> {
  let verified: Awaited<ReturnType<typeof compactVerify>>;
  try {
    verified = await compactVerify(head.signature, createLocalJWKSet(jwks));
  } catch (error) {
    return `its signature does not verify against the audit service's JWKS (${(error as Error).message})`;
  }
  if (verified.protectedHeader.typ !== TREE_HEAD_TYPE) return `its JWS is a ${String(verified.protectedHeader.typ)}, not a ${TREE_HEAD_TYPE}`;
  if (verified.protectedHeader.kid !== head.logId) return `it was signed by key ${String(verified.protectedHeader.kid)}, not by its log ${head.logId}`;
  const { signature: _signature, ...fields } = head;
  if (new TextDecoder().decode(verified.payload) !== canonicalize(fields)) return 'its fields differ from what the signature covers';
  return null;
}

/** Null when the proof shows the event (rehashed from its envelope) in the head's tree; else what is wrong. */
export function inclusionProblem(eventId: string, head: SignedTreeHead, proof: InclusionProof): string | null {
  if (proof.treeSize !== head.treeSize) return `the proof is for a tree of ${proof.treeSize} leaves, the head has ${head.treeSize}`;
  let envelopeId: unknown;
  try {
    envelopeId = (JSON.parse(proof.envelope) as { id?: unknown }).id;
  } catch {
    return 'the envelope sent with the proof is not JSON';
  }
  if (envelopeId !== eventId) return `the envelope sent with the proof is event ${String(envelopeId)}, not ${eventId}`;
  const leaf = leafHash(proof.envelope);
  if (leaf.toString('base64') !== proof.leafHash) return `leaf ${proof.leafIndex} is not the hash of the event's envelope: the archived event differs from what the log holds`;
  if (!verifyInclusion(leaf, proof.leafIndex, head.treeSize, proof.auditPath.map(hash), hash(head.rootHash))) return `the audit path does not lead from leaf ${proof.leafIndex} to the head's root`;
  return null;
}

export async function checkInclusion(source: AuditLogSource, options: { eventId: string; treeSize?: number; head?: SignedTreeHead }): Promise<Verdict & { head?: SignedTreeHead }> {
  const head = options.head ?? (await source.treeHead(options.treeSize));
  const headProblem = await treeHeadProblem(head, await source.jwks());
  if (headProblem) return { ok: false, lines: [`FAILED: the ${describeHead(head)} is not authentic: ${headProblem}`] };
  if (head.treeSize === 0) return { ok: false, head, lines: [`FAILED: event ${options.eventId} is not in the ${describeHead(head)}: the tree is empty`] };
  const proof = await source.inclusionProof(options.eventId, head.treeSize);
  if (!proof) return { ok: false, head, lines: [`FAILED: event ${options.eventId} is not in the audit log`] };
  const problem = inclusionProblem(options.eventId, head, proof);
  if (problem) return { ok: false, head, lines: [`FAILED: event ${options.eventId} is not proven in the ${describeHead(head)}: ${problem}`] };
  return {
    ok: true,
    head,
    lines: [`OK: event ${options.eventId} is leaf ${proof.leafIndex} of the ${describeHead(head)}`, `  the head's signature verifies against the JWKS; the audit path of ${proof.auditPath.length} hashes leads from the event's envelope to the signed root`],
  };
}

export async function checkConsistency(source: AuditLogSource, older: SignedTreeHead, newer: SignedTreeHead): Promise<Verdict> {
  const jwks = await source.jwks();
  const failures: string[] = [];
  for (const [name, head] of [['old', older], ['new', newer]] as const) {
    const problem = await treeHeadProblem(head, jwks);
    if (problem) failures.push(`the ${name} ${describeHead(head)} is not authentic: ${problem}`);
  }
  if (failures.length === 0) {
    if (older.treeSize > newer.treeSize) failures.push(`the old head (${older.treeSize} leaves) is larger than the new one (${newer.treeSize})`);
    else if (older.treeSize === newer.treeSize) {
      if (older.rootHash !== newer.rootHash) failures.push(`two heads of ${older.treeSize} leaves with different roots: the log was rewritten`);
    } else if (older.treeSize > 0) {
      const { proof } = await source.consistencyProof(older.treeSize, newer.treeSize);
      if (!verifyConsistency(older.treeSize, newer.treeSize, hash(older.rootHash), hash(newer.rootHash), proof.map(hash))) {
        failures.push(`the consistency proof does not tie the old root to the new one: the tree of ${older.treeSize} leaves is not a prefix of the tree of ${newer.treeSize}`);
      }
    }
  }
  if (failures.length > 0) return { ok: false, lines: failures.map((failure) => `FAILED: ${failure}`) };
  return {
    ok: true,
    lines: [`OK: the log only grew from ${older.treeSize} to ${newer.treeSize} leaves: nothing was changed, removed or reordered`, `  old: ${describeHead(older)}`, `  new: ${describeHead(newer)}`],
  };
}

export async function readTreeHead(file: string): Promise<SignedTreeHead> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new CliError(`cannot read a tree head from ${file}: ${(error as Error).message}`);
  }
  const head = SignedTreeHeadSchema.safeParse(parsed);
  if (!head.success) throw new CliError(`${file} is not a signed tree head: ${head.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`).join('; ')}`);
  return head.data;
}

type Values = Record<string, string | boolean | undefined>;

function stringOption(values: Values, name: string): string | undefined {
  const value = values[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') throw new CliError(`--${name} needs a value`);
  return value;
}

function sizeOption(values: Values, name: string): number | undefined {
  const value = stringOption(values, name);
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value))) throw new CliError(`--${name} must be a tree size (a whole number); got ${JSON.stringify(value)}`);
  return Number(value);
}

/** The audit service over HTTP, with a dev auditor token for the proofs (the head and keys are public). */
export async function httpAuditLog(values: Values): Promise<AuditLogSource> {
  const baseUrl = (stringOption(values, 'url') ?? process.env.NRM_URL ?? 'http://127.0.0.1:8080').replace(/\/$/, '');
  const client = await createBackboneClient({ baseUrl, dataDir: stringOption(values, 'data-dir') ?? process.env.NRM_DATA_DIR ?? './data' });
  const get = async <T>(path: string): Promise<T> => {
    try {
      return await client.get<T>('audit', path);
    } catch (error) {
      if (error instanceof ApiError) throw error;
      throw new CliError(`the audit service at ${baseUrl} cannot be reached (${(error as Error).message}): give its URL with --url`);
    }
  };
  return {
    jwks: () => get<JSONWebKeySet>('/.well-known/jwks.json'),
    async treeHead(treeSize) {
      const head = SignedTreeHeadSchema.safeParse(await get(`/log/tree-head${treeSize === undefined ? '' : `?treeSize=${treeSize}`}`));
      if (!head.success) throw new CliError(`the audit service at ${baseUrl} sent something that is not a signed tree head`);
      return head.data;
    },
    async inclusionProof(eventId, treeSize) {
      try {
        return await get<InclusionProof>(`/log/proofs/inclusion?eventId=${encodeURIComponent(eventId)}&treeSize=${treeSize}`);
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) return undefined;
        throw error;
      }
    },
    consistencyProof: (first, second) => get<ConsistencyProof>(`/log/proofs/consistency?first=${first}&second=${second}`),
  };
}

async function report(verdict: Verdict & { head?: SignedTreeHead }, saveHead: string | undefined): Promise<number> {
  process.stdout.write(`${verdict.lines.join('\n')}\n`);
  if (verdict.ok && saveHead && verdict.head) {
    await writeFile(saveHead, `${JSON.stringify(verdict.head, null, 2)}\n`);
    process.stdout.write(`  saved the head to ${saveHead}: check later heads against it with nrm verify consistency --old ${saveHead}\n`);
  }
  return verdict.ok ? 0 : 1;
}

/** A service refusal (422: a size beyond the log) is a failed verification, not a usage error. */
async function refusalsAsFailures(check: () => Promise<Verdict & { head?: SignedTreeHead }>): Promise<Verdict & { head?: SignedTreeHead }> {
  try {
    return await check();
  } catch (error) {
    if (error instanceof ApiError && error.status < 500 && error.status !== 401 && error.status !== 403) return { ok: false, lines: [`FAILED: the audit service refused: ${error.problem.detail ?? error.message}`] };
    if (error instanceof ApiError) throw new CliError(error.message);
    throw error;
  }
}

type ProofSubcommand = { summary: string; usage: string; run(args: { values: Values; positionals: string[] }): Promise<number> };

export const proofSubcommands: Record<'inclusion' | 'consistency', ProofSubcommand> = {
  inclusion: {
    summary: "prove an event is in the audit log: checks the signed tree head against the JWKS and the event's audit path to its root",
    usage: 'nrm verify inclusion --event <id> [--tree-size <n> | --head <head.json>] [--save-head <file>] [--url <audit service>] [--data-dir ./data]',
    async run({ values, positionals }) {
      const eventId = stringOption(values, 'event') ?? positionals[0];
      if (!eventId) throw new CliError('name the event: nrm verify inclusion --event <id>');
      const headFile = stringOption(values, 'head');
      const treeSize = sizeOption(values, 'tree-size');
      if (headFile && treeSize !== undefined) throw new CliError('give --head or --tree-size, not both');
      const head = headFile ? await readTreeHead(headFile) : undefined;
      const source = await httpAuditLog(values);
      return report(await refusalsAsFailures(() => checkInclusion(source, { eventId, ...(treeSize === undefined ? {} : { treeSize }), ...(head ? { head } : {}) })), stringOption(values, 'save-head'));
    },
  },
  consistency: {
    summary: 'prove the audit log only grew between two signed tree heads: checks both signatures and the consistency proof',
    usage: 'nrm verify consistency (--old <head.json> | --first <n>) [--new <head.json> | --second <n>] [--save-head <file>] [--url <audit service>] [--data-dir ./data]',
    async run({ values }) {
      const oldFile = stringOption(values, 'old');
      const newFile = stringOption(values, 'new');
      const first = sizeOption(values, 'first');
      const second = sizeOption(values, 'second');
      if ((oldFile === undefined) === (first === undefined)) throw new CliError('give the older head: --old <head.json> (a head saved earlier) or --first <tree size>');
      if (newFile !== undefined && second !== undefined) throw new CliError('give --new or --second, not both');
      const source = await httpAuditLog(values);
      const saveHead = stringOption(values, 'save-head');
      return report(
        await refusalsAsFailures(async () => {
          const older = oldFile ? await readTreeHead(oldFile) : await source.treeHead(first);
          const newer = newFile ? await readTreeHead(newFile) : await source.treeHead(second);
          return { ...(await checkConsistency(source, older, newer)), head: newer };
        }),
        saveHead,
      );
    },
  },
};
