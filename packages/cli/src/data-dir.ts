// The data directory holds the SQLite store, the development keys and the dev vault master key.
// It is checked by writing to it, the only test that also holds for root and read-only mounts.
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { CliError } from './cli-error.ts';

/**
 * Creates the directory and its missing parents one level at a time. Node 24's recursive
 * mkdirSync never returns on some pseudo file systems (e.g. under /proc), so it is not used.
 */
function makeDirectory(path: string): void {
  try {
    mkdirSync(path, { mode: 0o700 });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      if (!statSync(path).isDirectory()) throw Object.assign(new Error(`${path} is not a directory`), { code: 'ENOTDIR' });
      return;
    }
    if (code !== 'ENOENT' || dirname(path) === path) throw error;
    makeDirectory(dirname(path));
    mkdirSync(path, { mode: 0o700 });
  }
}

export function ensureWritableDataDir(dataDir: string): string {
  const absolute = resolve(dataDir);
  try {
    makeDirectory(absolute);
    const probe = join(absolute, `.write-probe-${process.pid}`);
    writeFileSync(probe, '');
    rmSync(probe);
  } catch (error) {
    throw new CliError(`data directory ${absolute} is not writable (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): choose another with --data-dir or NRM_DATA_DIR`);
  }
  return absolute;
}
