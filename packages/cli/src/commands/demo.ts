// `nrm demo`: drives one realistic case through all five agencies of a running backbone (a
// girl returned from Cambodia at Mộc Bài), then prints the chain as the auditors' log shows it:
// agency, event, time, and the event that caused it.
import { CliError } from '../cli-error.ts';
import type { Command } from '../command.ts';
import { createBackboneClient } from '../backbone-client.ts';
import { DEMO_STORY } from '../scenario/case-story.ts';
import { runReferralChain } from '../scenario/referral-chain.ts';
import { auditedChain } from '../scenario/simulation.ts';

export const demoCommand: Command = {
  name: 'demo',
  summary: 'drive one case from tip to closed reintegration case and print its chain',
  usage: 'nrm demo [--url http://127.0.0.1:8080] [--data-dir ./data]',
  options: {
    url: { type: 'string', description: 'the running backbone (NRM_URL; default http://127.0.0.1:8080)' },
    'data-dir': { type: 'string', description: 'where the dev key the backbone trusts lives (NRM_DATA_DIR; default ./data)' },
  },
  async run({ values }) {
    const baseUrl = ((values.url as string | undefined) ?? process.env.NRM_URL ?? 'http://127.0.0.1:8080').replace(/\/$/, '');
    const client = await createBackboneClient({ baseUrl, dataDir: (values['data-dir'] as string | undefined) ?? process.env.NRM_DATA_DIR ?? './data' });
    await fetch(`${baseUrl}/health`).catch(() => {
      throw new CliError(`no backbone answers at ${baseUrl}: start one with \`npm start\` (or give --url)`);
    });
    process.stdout.write(`Driving one case through the five agencies at ${baseUrl}\n\n`);
    const started = Date.now();
    const eventIds: string[] = [];
    const { caseId, personId } = await runReferralChain(client, DEMO_STORY, (step) => {
      eventIds.push(...step.events.map((event) => event.id));
      process.stdout.write(`  ${step.agency.padEnd(15)} ${step.action}${step.events.length === 0 ? '' : `  (${step.events.map((event) => event.type.split('.')[1]).join(', ')})`}\n`);
    });
    // The audit archive fills from the bus: wait until it holds the whole chain.
    const log = { events: await auditedChain(client, caseId, eventIds) };
    const byId = new Map(log.events.map((event) => [event.id, event]));
    process.stdout.write(`\nThe chain of case ${caseId} (person ${personId}), as recorded:\n\n`);
    process.stdout.write(`  ${'time'.padEnd(24)} ${'agency'.padEnd(15)} ${'event'.padEnd(28)} caused by\n`);
    for (const event of log.events) {
      const cause = event.causationId ? byId.get(event.causationId) : undefined;
      const causeText = cause ? `${cause.agency}.${cause.type.split('.')[1]}` : event.causationId ? event.causationId : '(a request)';
      process.stdout.write(`  ${event.occurredAt.padEnd(24)} ${event.agency.padEnd(15)} ${event.type.split('.')[1]!.padEnd(28)} ${causeText}\n`);
    }
    process.stdout.write(`\n${log.events.length} events across ${new Set(log.events.map((event) => event.agency)).size} agencies in ${((Date.now() - started) / 1000).toFixed(1)} s. Every referral was accepted by its receiver.\n`);
    return 0;
  },
};
