// `nrm start [service]`: the embedded backbone (every service in one process, SQLite under
// ./data) or one service on its own. Prints where it listens and a short-lived admin token.
import { describeKafkaSecurity } from '@nrm/bus';
import { AgencySchema, SERVICES as SERVICE_NAMES } from '@nrm/contracts';
import { servicePrefix } from '@nrm/service-kit';
import { startBackbone } from '../backbone.ts';
import { CliError } from '../cli-error.ts';
import type { Command } from '../command.ts';
import { LOG_LEVELS, resolveStartConfig } from '../config.ts';
import type { StartFlags } from '../config.ts';

export const startCommand: Command = {
  name: 'start',
  summary: 'run the backbone (all services in one process) or one service',
  usage: `nrm start [${SERVICE_NAMES.join('|')}] [options]`,
  allowPositionals: true,
  options: {
    host: { type: 'string', description: 'address to listen on (NRM_HOST; default 127.0.0.1)' },
    port: { type: 'string', short: 'p', description: 'port (NRM_PORT; default 8080, or 8081-8087 for one service)' },
    'data-dir': { type: 'string', description: 'data directory (NRM_DATA_DIR; default ./data)' },
    store: { type: 'string', description: 'event store URL: sqlite:<file>, postgres://…?schema=…, esdb://… (NRM_STORE)' },
    bus: { type: 'string', description: 'embedded (default) or kafka://host:port[,host:port] (NRM_BUS)' },
    'log-level': { type: 'string', description: `${LOG_LEVELS.join('|')} (NRM_LOG_LEVEL; default info)` },
    jwks: { type: 'string', description: 'verify tokens with this JWKS file or URL instead of the dev key (NRM_JWKS)' },
    issuer: { type: 'string', description: 'token issuer to accept with --jwks (NRM_TOKEN_ISSUER)' },
    audience: { type: 'string', description: 'token audience (NRM_TOKEN_AUDIENCE; default nrm-backbone)' },
  },
  details: 'The vault master key comes from NRM_VAULT_MASTER_KEY (32 bytes, base64); without it a development key is created in the data directory.',
  async run({ values, positionals }) {
    if (positionals.length > 1) throw new CliError(`nrm start takes at most one service, got ${positionals.join(' ')}`);
    const named = positionals[0];
    let service = null;
    if (named !== undefined) {
      const parsed = AgencySchema.safeParse(named);
      if (!parsed.success) throw new CliError(`unknown service ${JSON.stringify(named)}: choose one of ${SERVICE_NAMES.join(', ')}`);
      service = parsed.data;
    }
    const config = resolveStartConfig(service, values as StartFlags);
    const backbone = await startBackbone(config);

    const lines = [
      `NRM Backbone ${service ? `service ${service}` : '(embedded: every service in one process)'} listening on ${backbone.url}`,
      `  store: ${config.store}`,
      `  bus:   ${config.kafkaBrokers ? `kafka://${config.kafkaBrokers.join(',')}${config.kafkaNamespace ? ` (namespace ${config.kafkaNamespace})` : ''}, ${describeKafkaSecurity(config.kafkaSecurity)}` : 'embedded'}`,
      ...backbone.services.map((one) => `  ${one.name.padEnd(15)} ${backbone.url}${servicePrefix(one.name)}/health`),
    ];
    if (backbone.devMasterKey) lines.push('  vault: development master key in the data directory (set NRM_VAULT_MASTER_KEY in production)');
    if (backbone.adminToken) {
      lines.push('', 'Admin token (30 minutes; mint others with `npx nrm token --agency intake --roles clerk`):', backbone.adminToken);
    }
    process.stderr.write(`${lines.join('\n')}\n`);

    await new Promise<void>((resolve) => {
      const stop = (signal: string) => {
        process.stderr.write(`\n${signal}: closing…\n`);
        void backbone.close().then(resolve);
      };
      process.once('SIGINT', () => stop('SIGINT'));
      process.once('SIGTERM', () => stop('SIGTERM'));
    });
    return 0;
  },
};
