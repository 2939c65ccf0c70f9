// The shape of an `nrm` subcommand: its options (node:util parseArgs), its help text, and what
// it does. Each command lives in its own file under commands/.
import type { ParseArgsConfig } from 'node:util';

export type ParsedArgs = { values: Record<string, string | boolean | (string | boolean)[] | undefined>; positionals: string[] };

export type Command = {
  name: string;
  summary: string;
  usage: string;
  /** Extra help after the options table. */
  details?: string;
  options: NonNullable<ParseArgsConfig['options']> & Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean; description?: string }>;
  allowPositionals?: boolean;
  run(args: ParsedArgs): Promise<number | void>;
};

export function helpText(command: Command): string {
  const rows = Object.entries(command.options).map(([name, option]) => {
    const flag = `${option.short ? `-${option.short}, ` : '    '}--${name}${option.type === 'string' ? ' <value>' : ''}`;
    return `  ${flag.padEnd(30)} ${option.description ?? ''}`;
  });
  return [`nrm ${command.name}: ${command.summary}`, '', `Usage: ${command.usage}`, '', 'Options:', ...rows, '      --help                     show this help', ...(command.details ? ['', command.details] : [])].join('\n');
}
