// An embedded backbone for an e2e suite: every service in one process on a free port, data in a
// temp dir; `stop` closes it and removes the data.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveStartConfig, startBackbone } from '@nrm/cli';
import type { RunningBackbone } from '@nrm/cli';

export async function startEmbeddedBackbone(label: string): Promise<{ backbone: RunningBackbone; dataDir: string; stop(): Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), `nrm-${label}-`));
  const backbone = await startBackbone(resolveStartConfig(null, { port: '0', 'data-dir': dataDir, 'log-level': 'silent' }, {}));
  return {
    backbone,
    dataDir,
    async stop() {
      await backbone.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
