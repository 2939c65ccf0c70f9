// `nrm verify`: every store's hash chains, the audit archive's own rows, and each store against
// the archive event for event. Prints the first discrepancy of each kind with where it is, and
// exits 1 when anything disagrees. `nrm verify inclusion|consistency` check the archive's Merkle
// proofs (verify/proof-commands.ts).
import { basename } from 'node:path';
import { StoreUrlError, parseStoreUrl } from '@nrm/eventstore';
import { CliError } from '../cli-error.ts';
import type { Command } from '../command.ts';
import { proofSubcommands } from '../verify/proof-commands.ts';
import { VerifyTargetError, verifyBackbone } from '../verify/verify-backbone.ts';
import type { BackboneVerification, Discrepancy, VerifyProgress } from '../verify/verify-backbone.ts';

const PROOF_OPTIONS = ['url', 'event', 'tree-size', 'head', 'save-head', 'first', 'second', 'old', 'new'] as const;

function isProofSubcommand(name: string | undefined): name is keyof typeof proofSubcommands {
  return name === 'inclusion' || name === 'consistency';
}

/** In distributed mode the archive sits with the audit service's store. */
function auditStoreAmong(stores: readonly string[]): string | undefined {
  return stores.find((url) => {
    const location = parseStoreUrl(url);
    return (location.kind === 'sqlite' && basename(location.path) === 'audit.db') || (location.kind === 'postgres' && /(^|_)audit$/.test(location.schema));
  });
}

function progressLine({ step, done, total }: VerifyProgress): string {
  const width = 24;
  const filled = total > 0 ? Math.min(width, Math.round((done / total) * width)) : width;
  return `\r\x1b[2K  [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${step} ${done}/${total}`;
}

function location(found: Discrepancy): string {
  const parts = [
    found.store ? `store ${found.store}` : 'archive',
    found.stream === undefined ? null : `stream ${found.stream}`,
    found.revision === undefined ? null : `revision ${found.revision}`,
    found.position === undefined ? null : `position ${found.position}`,
    found.sequence === undefined ? null : `archive sequence ${found.sequence}`,
    found.eventId === undefined ? null : `event ${found.eventId}`,
  ];
  return parts.filter((part) => part !== null).join(', ');
}

export function verdict(result: BackboneVerification): string {
  const seconds = (result.ms / 1000).toFixed(2);
  const stores = result.stores.map((store) => `  store ${store.url}: ${store.events} events in ${store.streams} streams`);
  const others = Object.entries(result.archive.ofOtherAgencies).map(([agency, count]) => `${agency} ${count}`);
  const archive = `  archive ${result.archive.location}: ${result.archive.events} events${others.length ? ` (not compared, no store given holds their agency: ${others.join(', ')})` : ''}`;
  if (result.ok) return ['OK: every hash chain holds and the stores and the archive agree event for event', ...stores, archive, `  checked in ${seconds} s`].join('\n');
  const lines = result.discrepancies.map((found) => `  ${found.kind} at ${location(found)}\n    ${found.problem}${found.count > 1 ? ` (first of ${found.count})` : ''}`);
  return [`FAILED: ${result.discrepancies.length} kind${result.discrepancies.length === 1 ? '' : 's'} of discrepancy`, ...lines, ...stores, archive, `  checked in ${seconds} s`].join('\n');
}

export const verifyCommand: Command = {
  name: 'verify',
  summary: 'check every hash chain and that the stores and the audit archive agree',
  usage: 'nrm verify [--data-dir ./data] [--store <url> …] [--archive <url>]   |   nrm verify inclusion|consistency …',
  details: [
    'Without --store, verifies the embedded log sqlite:<data-dir>/nrm.db (NRM_STORE), whose file also holds the archive.',
    'Distributed: one --store per service and --archive the audit service\'s store URL (found by itself when one store is audit.db or its schema is audit or ends in _audit).',
    'Exit 0 when everything agrees, 1 on any discrepancy (the first of each kind is printed with its location), 2 on bad usage.',
    '',
    `Subcommands:\n  ${proofSubcommands.inclusion.usage}\n      ${proofSubcommands.inclusion.summary}\n  ${proofSubcommands.consistency.usage}\n      ${proofSubcommands.consistency.summary}`,
  ].join('\n'),
  allowPositionals: true,
  options: {
    'data-dir': { type: 'string', description: 'data directory (NRM_DATA_DIR; default ./data)' },
    store: { type: 'string', multiple: true, description: 'an event store URL; repeat for each service (NRM_STORE; default sqlite:<data-dir>/nrm.db)' },
    archive: { type: 'string', description: 'the audit service\'s store URL, where the archive is (default: the only store, or the audit one)' },
    ...Object.fromEntries(PROOF_OPTIONS.map((name) => [name, { type: 'string' as const, description: `(nrm verify inclusion|consistency)` }])),
  },
  async run({ values, positionals }) {
    const [first, ...rest] = positionals;
    if (isProofSubcommand(first)) {
      const scalar = Object.fromEntries(Object.entries(values).filter((entry): entry is [string, string | boolean | undefined] => !Array.isArray(entry[1])));
      return proofSubcommands[first].run({ values: scalar, positionals: rest });
    }
    if (first !== undefined) throw new CliError(`unknown verify subcommand ${JSON.stringify(first)}: use nrm verify, nrm verify inclusion or nrm verify consistency`);
    const misplaced = PROOF_OPTIONS.filter((name) => values[name] !== undefined);
    if (misplaced.length > 0) throw new CliError(`--${misplaced.join(', --')} belong${misplaced.length === 1 ? 's' : ''} to nrm verify inclusion|consistency`);

    const dataDir = (values['data-dir'] as string | undefined) ?? process.env.NRM_DATA_DIR ?? './data';
    const given = (values.store as string[] | undefined) ?? [];
    const stores = given.length > 0 ? given : [process.env.NRM_STORE || `sqlite:${dataDir}/nrm.db`];
    let archive: string | undefined;
    try {
      archive = (values.archive as string | undefined) ?? (stores.length === 1 ? stores[0] : auditStoreAmong(stores));
      for (const url of [...stores, ...(archive ? [archive] : [])]) parseStoreUrl(url);
    } catch (error) {
      if (error instanceof StoreUrlError) throw new CliError(error.message);
      throw error;
    }
    if (!archive) throw new CliError('with several --store, say where the archive is: --archive <the audit service\'s store URL>');

    const tty = process.stderr.isTTY;
    let lastDraw = 0;
    let result: BackboneVerification;
    try {
      result = await verifyBackbone({
        stores,
        archive,
        onProgress: (progress) => {
          const now = Date.now();
          if (!tty || (now - lastDraw < 100 && progress.done < progress.total)) return;
          lastDraw = now;
          process.stderr.write(progressLine(progress));
        },
      });
    } catch (error) {
      if (error instanceof VerifyTargetError) throw new CliError(error.message);
      throw error;
    } finally {
      if (tty) process.stderr.write('\r\x1b[2K');
    }
    process.stdout.write(`${verdict(result)}\n`);
    return result.ok ? 0 : 1;
  },
};
