// `nrm erase`: an agency administrator erases a person (crypto-shredding) through the agency's
// API: the person's data keys are destroyed, the erasure is recorded as <agency>.PersonErased,
// and the other agencies destroy the keys their own key stores hold. Irreversible: the command
// asks for the reason and prints what was recorded.
import { REFERRAL_AGENCIES, ReferralAgencySchema, UlidSchema } from '@nrm/contracts';
import type { ReferralAgency } from '@nrm/contracts';
import { loadOrCreateDevKeys, mintToken } from '@nrm/service-kit';
import { resolveBackboneTarget } from '../backbone-target.ts';
import { CliError } from '../cli-error.ts';
import type { Command } from '../command.ts';
import { ensureWritableDataDir } from '../data-dir.ts';

export type ErasureRequest = { agency: ReferralAgency; personId: string; reason: string };

export function erasureRequestOf(values: Record<string, unknown>): ErasureRequest {
  const agency = ReferralAgencySchema.safeParse(values.agency);
  if (!agency.success) throw new CliError(`--agency is required: the agency whose administrator erases, one of ${REFERRAL_AGENCIES.join(', ')}`);
  const person = UlidSchema.safeParse(values.person);
  if (!person.success) throw new CliError('--person is required: the personId (a ULID) of the person to erase');
  const reason = typeof values.reason === 'string' ? values.reason.trim() : '';
  if (reason.length < 5) throw new CliError('--reason is required: why the person is erased (at least 5 characters; never personal data)');
  return { agency: agency.data, personId: person.data, reason };
}

export const eraseCommand: Command = {
  name: 'erase',
  summary: 'erase a person: destroy their data keys (crypto-shredding), recorded in the log',
  usage: 'nrm erase --agency <agency> --person <personId> --reason "<why>" [--url <backbone>] [--token <agency-admin token>]',
  options: {
    agency: { type: 'string', description: `the erasing agency (its agency-admin token): ${REFERRAL_AGENCIES.join(', ')}` },
    person: { type: 'string', description: 'the personId to erase' },
    reason: { type: 'string', description: 'why (a request of the person, a court order…); recorded in the log' },
    url: { type: 'string', description: 'the backbone (default NRM_URL or http://127.0.0.1:8080), or agency=url,… per service' },
    token: { type: 'string', description: "an agency-admin token of that agency (default NRM_TOKEN, else a dev token from the local dev key)" },
    'data-dir': { type: 'string', description: 'where the dev key lives (NRM_DATA_DIR; default ./data)' },
  },
  async run({ values }) {
    const request = erasureRequestOf(values);
    const { baseUrl } = resolveBackboneTarget(values.url as string | undefined);
    const url = typeof baseUrl === 'string' ? baseUrl : baseUrl[request.agency];
    if (!url) throw new CliError(`--url: give ${request.agency}'s URL too (${request.agency}=http://…)`);
    let token = (values.token as string | undefined) ?? process.env.NRM_TOKEN;
    if (!token) {
      const keys = await loadOrCreateDevKeys(ensureWritableDataDir((values['data-dir'] as string | undefined) ?? process.env.NRM_DATA_DIR ?? './data'));
      token = await mintToken({ privateKey: keys.privateKey, kid: keys.kid, subject: `dev-${request.agency}-admin`, roles: ['agency-admin'], agency: request.agency, ttlSeconds: 300 });
    }
    const path = `/v1/${request.agency}/persons/${request.personId}/erasure`;
    let response: Response;
    try {
      response = await fetch(`${url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ reason: request.reason }), signal: AbortSignal.timeout(15_000) });
    } catch (error) {
      throw new CliError(`no backbone answers at ${url} (${(error as Error).message}): start it with \`npm start\`, or give --url`, 1);
    }
    const answer = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    if (!response.ok) throw new CliError(`POST ${path} → ${response.status} ${String(answer.title ?? '')}${answer.detail ? `: ${String(answer.detail)}` : ''}`, 1);
    process.stdout.write(`${JSON.stringify(answer, null, 2)}\n`);
  },
};
