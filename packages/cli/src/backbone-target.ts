// Where `nrm demo` and `nrm simulate` find the backbone: one URL for the embedded backbone, or
// one per service when every agency runs apart (`--url standalone` for the standalone ports on
// this host, or `intake=http://…,identification=http://…` for each agency by name).
import { SERVICES } from '@nrm/contracts';
import type { Agency } from '@nrm/contracts';
import { CliError } from './cli-error.ts';
import { STANDALONE_PORTS } from './services.ts';

export type BackboneTarget = {
  baseUrl: string | Readonly<Record<Agency, string>>;
  /** For messages: where the commands go. */
  describe: string;
  /** Fails with a clear message when a service the scenario needs does not answer. */
  checkReachable(): Promise<void>;
};

const DEFAULT_URL = 'http://127.0.0.1:8080';

function trimmed(url: string, source: string): string {
  if (!/^https?:\/\/[^\s/]+/.test(url)) throw new CliError(`${source}: ${JSON.stringify(url)} is not an http(s) URL`);
  return url.replace(/\/+$/, '');
}

function perService(text: string, source: string): Record<Agency, string> {
  if (text === 'standalone') return Object.fromEntries(SERVICES.map((agency) => [agency, `http://127.0.0.1:${STANDALONE_PORTS[agency]}`])) as Record<Agency, string>;
  const urls: Partial<Record<Agency, string>> = {};
  for (const pair of text.split(',')) {
    const [name, url] = pair.split(/=(.*)/s, 2).map((part) => part?.trim() ?? '');
    if (!SERVICES.includes(name as Agency)) throw new CliError(`${source}: ${JSON.stringify(name)} is not a service; use ${SERVICES.join(', ')}`);
    urls[name as Agency] = trimmed(url ?? '', `${source} ${name}`);
  }
  const missing = SERVICES.filter((agency) => agency !== 'liaison' && !urls[agency]);
  if (missing.length > 0) throw new CliError(`${source}: give a URL for ${missing.join(', ')} too (or --url standalone)`);
  return urls as Record<Agency, string>;
}

export function resolveBackboneTarget(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): BackboneTarget {
  const source = flag !== undefined ? '--url' : 'NRM_URL';
  const text = (flag ?? env.NRM_URL ?? DEFAULT_URL).trim();
  const single = text !== 'standalone' && !text.includes('=');
  const baseUrl = single ? trimmed(text, source) : perService(text, source);
  const distinct = [...new Set(typeof baseUrl === 'string' ? [baseUrl] : Object.values(baseUrl))];
  return {
    baseUrl,
    describe: typeof baseUrl === 'string' ? baseUrl : `${distinct.length} services (${Object.entries(baseUrl).map(([agency, url]) => `${agency} ${url}`).join(', ')})`,
    async checkReachable() {
      for (const url of distinct) {
        await fetch(`${url}/health`, { signal: AbortSignal.timeout(5000) }).catch(() => {
          throw new CliError(`no backbone answers at ${url}: start it with \`npm start\` (or \`nrm start <service>\` for each service), or give --url`);
        });
      }
    },
  };
}
