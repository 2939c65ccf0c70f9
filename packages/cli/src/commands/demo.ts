// `nrm demo`: drives one realistic case through all five agencies of a running backbone (a
// girl returned from Cambodia at Mộc Bài), then prints the chain as the auditors' log shows it:
// agency, event, time, and the event that caused it. Then the other direction: a Cambodian girl
// returned home through Mộc Bài, whose handover reaches the Cambodian desk kh-bavet as signed
// packets that `nrm desk-client` reads as the desk would.
import { resolve } from 'node:path';
import { CliError } from '../cli-error.ts';
import type { Command } from '../command.ts';
import { createBackboneClient } from '../backbone-client.ts';
import { DEMO_STORY } from '../scenario/case-story.ts';
import { DEMO_DESK, deskPacketsOf, ensureDemoDesk } from '../scenario/liaison-desk.ts';
import { HANDOVER_STORY, runOutgoingHandover } from '../scenario/outgoing-handover.ts';
import type { ChainStep } from '../scenario/referral-chain.ts';
import { runReferralChain } from '../scenario/referral-chain.ts';
import { auditedChain } from '../scenario/simulation.ts';

export const demoCommand: Command = {
  name: 'demo',
  summary: 'drive one case from tip to closed reintegration case, and one handover to a Cambodian desk',
  usage: 'nrm demo [--url http://127.0.0.1:8080] [--data-dir ./data]',
  options: {
    url: { type: 'string', description: 'the running backbone (NRM_URL; default http://127.0.0.1:8080)' },
    'data-dir': { type: 'string', description: 'where the dev key the backbone trusts lives (NRM_DATA_DIR; default ./data)' },
  },
  async run({ values }) {
    const baseUrl = ((values.url as string | undefined) ?? process.env.NRM_URL ?? 'http://127.0.0.1:8080').replace(/\/$/, '');
    const dataDir = resolve((values['data-dir'] as string | undefined) ?? process.env.NRM_DATA_DIR ?? './data');
    const client = await createBackboneClient({ baseUrl, dataDir });
    await fetch(`${baseUrl}/health`).catch(() => {
      throw new CliError(`no backbone answers at ${baseUrl}: start one with \`npm start\` (or give --url)`);
    });
    process.stdout.write(`Driving one case through the five agencies at ${baseUrl}\n\n`);
    const started = Date.now();
    const eventIds: string[] = [];
    const printStep = (step: ChainStep) => process.stdout.write(`  ${step.agency.padEnd(15)} ${step.action}${step.events.length === 0 ? '' : `  (${step.events.map((event) => event.type.split('.')[1]).join(', ')})`}\n`);
    const { caseId, personId } = await runReferralChain(client, DEMO_STORY, (step) => {
      eventIds.push(...step.events.map((event) => event.id));
      printStep(step);
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

    process.stdout.write(`\nReturning a Cambodian girl home through ${HANDOVER_STORY.borderGate}, with the Cambodian liaison desk ${DEMO_DESK.deskId}\n\n`);
    const desk = await ensureDemoDesk(baseUrl, dataDir);
    process.stdout.write(`  ${'liaison'.padEnd(15)} ${desk.registered ? `registers the desk ${desk.deskId} (${DEMO_DESK.country}, gate ${DEMO_DESK.borderGates.join(', ')}, fields ${DEMO_DESK.fieldProfile.join(', ')})` : `finds the desk ${desk.deskId} registered`}\n`);
    const handover = await runOutgoingHandover(client, HANDOVER_STORY, printStep);
    const packets = await deskPacketsOf(client, baseUrl, dataDir, desk.deskId, handover.handoverId, ['planned', 'scheduled', 'completed']);
    process.stdout.write(`\nHandover ${handover.handoverId} of case ${handover.caseId} (person ${handover.personId}): ${packets.length} signed packets for desk ${desk.deskId}:\n\n`);
    for (const packet of packets) process.stdout.write(`  seq ${String(packet.seq).padEnd(4)} ${packet.stage.padEnd(10)} ${packet.packetId}  acknowledge by ${packet.acknowledgeBy}\n`);
    const flags = `--desk ${desk.deskId} --keys ${desk.privateFile} --url ${baseUrl} --data-dir ${dataDir}`;
    process.stdout.write(`\nThe desk's keys: ${desk.privateFile} (private, kept by the desk) and ${desk.publicFile} (the public JWKS it registered).\n`);
    if (desk.warning) process.stdout.write(`Warning: ${desk.warning}.\n`);
    process.stdout.write(`Read the feed as the desk does, verifying every packet and decrypting its personal data (jose only; see docs/liaison.md):\n\n  nrm desk-client pull ${flags}\n\n`);
    process.stdout.write(`Acknowledge the completed handover:\n\n  nrm desk-client ack ${flags} --packet ${packets.find((packet) => packet.stage === 'completed')?.packetId ?? packets.at(-1)!.packetId} --kind received\n`);
    return 0;
  },
};
