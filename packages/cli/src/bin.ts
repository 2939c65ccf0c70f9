#!/usr/bin/env node
// The `nrm` command. Runs on the Node 24 that `npm install` brings (node_modules/.bin/node),
// which strips TypeScript types itself: no build step between the source and the command.
import { parseArgs } from 'node:util';
import { ApiError } from './backbone-client.ts';
import { CliError } from './cli-error.ts';
import { helpText } from './command.ts';
import type { Command } from './command.ts';
import { demoCommand } from './commands/demo.ts';
import { eraseCommand } from './commands/erase.ts';
import { deskCommand } from './commands/desk.ts';
import { deskClientCommand } from './commands/desk-client.ts';
import { rebuildCommand } from './commands/rebuild.ts';
import { simulateCommand } from './commands/simulate.ts';
import { startCommand } from './commands/start.ts';
import { tokenCommand } from './commands/token.ts';
import { verifyCommand } from './commands/verify.ts';

const COMMANDS: readonly Command[] = [startCommand, tokenCommand, demoCommand, simulateCommand, rebuildCommand, verifyCommand, eraseCommand, deskCommand, deskClientCommand];

function overview(): string {
  return ['nrm: the NRM Backbone command', '', 'Usage: nrm <command> [options]   (nrm <command> --help for its options)', '', 'Commands:', ...COMMANDS.map((command) => `  ${command.name.padEnd(12)} ${command.summary}`)].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${overview()}\n`);
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS.find((candidate) => candidate.name === name);
  if (!command) throw new CliError(`unknown command ${JSON.stringify(name)}\n\n${overview()}`);
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${helpText(command)}\n`);
    return 0;
  }
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options: command.options, allowPositionals: command.allowPositionals ?? false, strict: true });
  } catch (error) {
    throw new CliError(`${(error as Error).message}\n\n${helpText(command)}`);
  }
  return (await command.run({ values: parsed.values, positionals: parsed.positionals })) ?? 0;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (error instanceof CliError) {
    process.stderr.write(`nrm: ${error.message}\n`);
    process.exitCode = error.exitCode;
  } else if (error instanceof ApiError) {
    // The backbone refused a request the command made: its problem says why.
    process.stderr.write(`nrm: the backbone refused ${error.message}\n`);
    process.exitCode = 1;
  } else {
    process.stderr.write(`nrm: unexpected failure: ${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 1;
  }
}
