// Shared by the HTTP ingestion and memory benchmarks: `nrm start` as an operator runs it (a child
// process of the real command, embedded: all seven services, SQLite under a fresh data
// directory), tokens minted with the dev key that process created, and the child's memory as
// the kernel reports it.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Agency } from '@nrm/contracts';
import { loadOrCreateDevKeys, mintToken } from '@nrm/service-kit';
import { startNrm } from '../e2e/nrm-process.ts';

export type BenchBackbone = {
  url: string;
  pid: number;
  dataDir: string;
  /** The store `nrm start` used (sqlite under the data directory), to open after `stop()`. */
  storeUrl: string;
  /** SIGTERM, waits for the exit; the exit code (0 when it closed cleanly). */
  stop(): Promise<number | null>;
  /** Removes the data directory (after stop). */
  remove(): void;
};

/**
 * Starts `node packages/cli/src/bin.ts start --port 0 --data-dir <fresh>` and waits until it
 * prints where it listens. `env` goes to the child on top of this process's environment;
 * `nodeOptions` (e.g. `--cpu-prof --cpu-prof-dir=/tmp/x`) reaches it through NODE_OPTIONS.
 */
export async function startBenchBackbone(options: { name: string; env?: NodeJS.ProcessEnv; nodeOptions?: string }): Promise<BenchBackbone> {
  const dataDir = mkdtempSync(join(tmpdir(), `nrm-bench-${options.name}-`));
  const env: NodeJS.ProcessEnv = { NRM_LOG_LEVEL: 'warn', ...options.env };
  if (options.nodeOptions) env.NODE_OPTIONS = [process.env.NODE_OPTIONS, options.nodeOptions].filter(Boolean).join(' ');
  let running;
  try {
    running = await startNrm(['--port', '0', '--data-dir', dataDir], { env, timeoutMs: 60_000 });
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  const child = running.child;
  return {
    url: running.url,
    pid: child.pid!,
    dataDir,
    storeUrl: `sqlite:${join(dataDir, 'nrm.db')}`,
    stop: () => (child.exitCode !== null || child.signalCode !== null ? Promise.resolve(child.exitCode) : running.stop()),
    remove: () => rmSync(dataDir, { recursive: true, force: true }),
  };
}

/** `count` tokens for an agency's own system (role clerk, may write), each with its own subject. */
export async function mintAgencyTokens(dataDir: string, agency: Agency, count: number): Promise<string[]> {
  const keys = await loadOrCreateDevKeys(dataDir);
  return Promise.all(Array.from({ length: count }, (_, i) => mintToken({ privateKey: keys.privateKey, kid: keys.kid, subject: `bench-${agency}-system-${i}`, roles: ['clerk'], agency, ttlSeconds: 3600 })));
}

/** Resident memory of a process in MiB: now (VmRSS) and the kernel's peak since it started (VmHWM). */
export function residentMemory(pid: number): { rssMiB: number; peakMiB: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
    if (!match) throw new Error(`/proc/${pid}/status has no ${field}`);
    return Number(match[1]);
  };
  return { rssMiB: kib('VmRSS') / 1024, peakMiB: kib('VmHWM') / 1024 };
}

/** Samples VmRSS every `everyMs` until stopped: the highest sample, as a cross-check of VmHWM. */
export function sampleMemory(pid: number, everyMs = 100): { stop(): { maxRssMiB: number; samples: number } } {
  let maxRssMiB = 0;
  let samples = 0;
  const take = () => {
    try {
      maxRssMiB = Math.max(maxRssMiB, residentMemory(pid).rssMiB);
      samples++;
    } catch {
      // The process is gone; the caller notices when it stops it.
    }
  };
  take();
  const timer = setInterval(take, everyMs);
  return {
    stop() {
      clearInterval(timer);
      take();
      return { maxRssMiB, samples };
    },
  };
}
