// `nrm token`: mints a development access token with the local dev key (the one `nrm start`
// trusts by default). Prints only the token, so it can be captured in a shell variable.
import { AgencySchema, RoleSchema, ROLES, SERVICES as SERVICE_NAMES } from '@nrm/contracts';
import { loadOrCreateDevKeys, mintToken } from '@nrm/service-kit';
import { CliError } from '../cli-error.ts';
import type { Command } from '../command.ts';
import { ensureWritableDataDir } from '../data-dir.ts';

export const tokenCommand: Command = {
  name: 'token',
  summary: 'mint a development token from the local dev key',
  usage: 'nrm token --roles clerk[,supervisor] [--agency intake] [--country KH] [options]',
  options: {
    agency: { type: 'string', description: `the agency the holder works for: ${SERVICE_NAMES.join(', ')}` },
    roles: { type: 'string', description: `comma-separated: ${ROLES.join(', ')}` },
    subject: { type: 'string', description: 'who the token is for (default dev-<agency or role>)' },
    country: { type: 'string', description: 'ISO 3166-1 alpha-2 country of a foreign desk, e.g. KH' },
    ttl: { type: 'string', description: 'lifetime in seconds (default 3600, at most 86400)' },
    'data-dir': { type: 'string', description: 'where the dev key lives (NRM_DATA_DIR; default ./data)' },
  },
  async run({ values }) {
    const rolesText = values.roles as string | undefined;
    if (!rolesText) throw new CliError('--roles is required, e.g. --roles clerk');
    const roles = rolesText.split(',').map((role) => role.trim()).filter(Boolean);
    const unknown = roles.filter((role) => !RoleSchema.safeParse(role).success);
    if (roles.length === 0 || unknown.length > 0) throw new CliError(`unknown role ${unknown.join(', ') || '(none)'}: choose from ${ROLES.join(', ')}`);
    const agencyText = values.agency as string | undefined;
    const agency = agencyText === undefined ? undefined : AgencySchema.safeParse(agencyText).data;
    if (agencyText !== undefined && agency === undefined) throw new CliError(`unknown agency ${JSON.stringify(agencyText)}: choose one of ${SERVICE_NAMES.join(', ')}`);
    const country = values.country as string | undefined;
    if (country !== undefined && !/^[A-Z]{2}$/.test(country)) throw new CliError(`--country ${country}: must be an ISO 3166-1 alpha-2 code such as KH, LA or CN`);
    const ttl = Number(values.ttl ?? 3600);
    if (!Number.isInteger(ttl) || ttl < 1 || ttl > 86_400) throw new CliError(`--ttl ${String(values.ttl)}: must be whole seconds from 1 to 86400`);
    const dataDir = ensureWritableDataDir((values['data-dir'] as string | undefined) ?? process.env.NRM_DATA_DIR ?? './data');
    const keys = await loadOrCreateDevKeys(dataDir);
    const token = await mintToken({
      privateKey: keys.privateKey,
      kid: keys.kid,
      subject: (values.subject as string | undefined) ?? `dev-${agency ?? country ?? roles[0]}`,
      roles,
      ...(agency ? { agency } : {}),
      ...(country ? { country } : {}),
      ttlSeconds: ttl,
    });
    process.stdout.write(`${token}\n`);
  },
};
