// `nrm rebuild <projection>`: throws a read model away and builds it again from the event log,
// then says how many events it read and how long it took. Run it with the service stopped (or
// let the service's own start do it: a projection whose version changed is rebuilt there).
import { rebuildProjection } from '@nrm/projections';
import { openEventStore } from '@nrm/eventstore';
import { CliError } from '../cli-error.ts';
import type { Command } from '../command.ts';
import { ensureWritableDataDir } from '../data-dir.ts';
import { openProjectionStore } from '../projection-setup.ts';
import { SERVICES } from '../services.ts';

function allProjections() {
  return SERVICES.flatMap((service) => (service.projections ?? []).map((projection) => ({ service: service.name, projection })));
}

export const rebuildCommand: Command = {
  name: 'rebuild',
  summary: 'rebuild a read model (projection) from the event log',
  usage: 'nrm rebuild <projection>|--all [--data-dir ./data] [--store <url>]',
  allowPositionals: true,
  options: {
    all: { type: 'boolean', description: 'rebuild every projection' },
    list: { type: 'boolean', description: 'list the projections and stop' },
    'data-dir': { type: 'string', description: 'data directory (NRM_DATA_DIR; default ./data)' },
    store: { type: 'string', description: 'event store URL (NRM_STORE; default sqlite:<data-dir>/nrm.db)' },
  },
  async run({ values, positionals }) {
    const known = allProjections();
    if (values.list) {
      for (const { service, projection } of known) process.stdout.write(`${projection.name}  (${service}, version ${projection.version})\n`);
      return 0;
    }
    const chosen = values.all ? known : known.filter(({ projection }) => positionals.includes(projection.name));
    const unknown = positionals.filter((name) => !known.some(({ projection }) => projection.name === name));
    if (unknown.length > 0) throw new CliError(`unknown projection ${unknown.join(', ')}: see nrm rebuild --list`);
    if (chosen.length === 0) throw new CliError('name a projection (nrm rebuild --list) or give --all');
    const dataDir = ensureWritableDataDir((values['data-dir'] as string | undefined) ?? process.env.NRM_DATA_DIR ?? './data');
    const storeUrl = (values.store as string | undefined) ?? process.env.NRM_STORE ?? `sqlite:${dataDir}/nrm.db`;
    const store = await openEventStore(storeUrl).catch((error: Error) => {
      throw new CliError(`cannot open the event store ${storeUrl}: ${error.message}`, 1);
    });
    const projections = await openProjectionStore(storeUrl, store, dataDir, 'nrm');
    try {
      for (const { projection } of chosen) {
        const result = await rebuildProjection({ store, projections, projection });
        process.stdout.write(`rebuilt ${projection.name}: ${result.events} events in ${Math.round(result.ms)} ms\n`);
      }
    } finally {
      await projections.close();
      await store.close();
    }
    return 0;
  },
};
