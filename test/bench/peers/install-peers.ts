// Installs the peer event stores the comparison bench measures (Emmett on PostgreSQL and SQLite)
// into test/bench/peers/node_modules, on demand and only once per lockfile: they are dependencies
// of the bench alone, never of the backbone, so the root `npm install` does not bring them.
//
// sqlite3 (Emmett's SQLite driver) has no reachable prebuilt binary here, so it builds from
// source with node-gyp. node-gyp must compile against the headers of the Node that will load the
// addon (Node 24, the repo's `node` package), not whatever a user-level `nodedir` points at: the
// headers are copied outside node_modules and named explicitly through npm_config_nodedir.
//
// Usage: `node test/bench/peers/install-peers.ts` (or `installPeers()` from the bench).
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PEERS_DIR = dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = resolve(PEERS_DIR, '../../..');
const LOCKFILE = join(PEERS_DIR, 'package-lock.json');
const STAMP = join(PEERS_DIR, '.installed-stamp.json');
const HEADERS_DIR = join(PEERS_DIR, '.node-headers');
const INSTALL_TIMEOUT_MS = 15 * 60_000;

/** Files that must exist after a good install (the native addon above all). */
const MUST_EXIST = [
  'node_modules/@event-driven-io/emmett-postgresql/package.json',
  'node_modules/@event-driven-io/dumbo/package.json',
  'node_modules/@nrm/bench-peer-emmett-sqlite/package.json',
];

export type InstallOutcome = { ok: true } | { ok: false; reason: string };

type Stamp = { lockfile: string; node: string; modules: string };

function log(message: string): void {
  console.log(`[install-peers] ${message}`);
}

function currentStamp(): Stamp {
  return {
    lockfile: createHash('sha256').update(readFileSync(LOCKFILE)).digest('hex'),
    // The sqlite3 addon is built for one Node ABI: a different Node means a rebuild.
    node: process.version,
    modules: process.versions.modules,
  };
}

function readStamp(): Stamp | undefined {
  try {
    return JSON.parse(readFileSync(STAMP, 'utf8')) as Stamp;
  } catch {
    return undefined;
  }
}

/** Finds the sqlite3 addon wherever npm placed the package (hoisted or under emmett-sqlite/). */
function sqliteAddonBuilt(): boolean {
  for (const base of [join(PEERS_DIR, 'emmett-sqlite/node_modules/sqlite3'), join(PEERS_DIR, 'node_modules/sqlite3')]) {
    if (existsSync(join(base, 'build/Release/node_sqlite3.node'))) return true;
  }
  return false;
}

function isInstalled(stamp: Stamp): boolean {
  const previous = readStamp();
  if (!previous || previous.lockfile !== stamp.lockfile || previous.node !== stamp.node || previous.modules !== stamp.modules) return false;
  return MUST_EXIST.every((file) => existsSync(join(PEERS_DIR, file))) && sqliteAddonBuilt();
}

/** The headers of the running Node (24), in the layout node-gyp's nodedir expects: include/node/node.h. */
function findNodeHeaders(): string | undefined {
  const platformPackage = `node-${process.platform}-${process.arch}`;
  const candidates = [
    join(dirname(dirname(realpathSync(process.execPath))), 'include'),
    join(REPO_ROOT, 'node_modules/node/node_modules', platformPackage, 'include'),
    join(REPO_ROOT, 'node_modules', platformPackage, 'include'),
  ];
  const major = process.versions.node.split('.')[0];
  for (const include of candidates) {
    const versionHeader = join(include, 'node/node_version.h');
    if (!existsSync(join(include, 'node/node.h')) || !existsSync(join(include, 'node/common.gypi')) || !existsSync(versionHeader)) continue;
    const match = /#define NODE_MAJOR_VERSION (\d+)/.exec(readFileSync(versionHeader, 'utf8'));
    if (match?.[1] === major) return include;
  }
  return undefined;
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<{ code: number | null; signal: string | null; timedOut: boolean; tail: string }> {
  return new Promise((done) => {
    const child = spawn(command, args, { cwd: PEERS_DIR, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let tail = '';
    const keep = (chunk: Buffer, stream: NodeJS.WriteStream): void => {
      stream.write(chunk);
      tail = (tail + chunk.toString()).slice(-4000);
    };
    child.stdout.on('data', (chunk: Buffer) => keep(chunk, process.stdout));
    child.stderr.on('data', (chunk: Buffer) => keep(chunk, process.stderr));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      done({ code: null, signal: null, timedOut, tail: `${tail}\n${error.message}` });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      done({ code, signal, timedOut, tail });
    });
  });
}

/**
 * Makes sure the peers are installed for the current lockfile and Node; does nothing when they
 * are. A failure is returned as a reason (the bench then reports the peer as not measured).
 */
export async function installPeers(options: { timeoutMs?: number } = {}): Promise<InstallOutcome> {
  try {
    if (!existsSync(LOCKFILE)) return { ok: false, reason: `no lockfile at ${LOCKFILE}` };
    const stamp = currentStamp();
    if (isInstalled(stamp)) return { ok: true };

    const include = findNodeHeaders();
    if (!include) return { ok: false, reason: `no Node ${process.versions.node} headers found next to ${process.execPath} or in the repo's node package (run the root npm install)` };
    log(`copying Node ${process.version} headers from ${include} to ${HEADERS_DIR}/include`);
    rmSync(HEADERS_DIR, { recursive: true, force: true });
    mkdirSync(HEADERS_DIR, { recursive: true });
    cpSync(include, join(HEADERS_DIR, 'include'), { recursive: true });

    rmSync(STAMP, { force: true });
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      // npm's shebang is `env node`: put the running Node 24 first so npm, node-gyp and the build run on it.
      PATH: [dirname(process.execPath), process.env.PATH ?? ''].join(':'),
      // Beats a user-level `nodedir` (this machine has nodedir=/usr, Node 20's headers).
      npm_config_nodedir: HEADERS_DIR,
      // sqlite3's prebuild-install would try GitHub for a binary: go straight to node-gyp.
      npm_config_build_from_source: 'true',
      npm_config_update_notifier: 'false',
    };
    const timeoutMs = options.timeoutMs ?? INSTALL_TIMEOUT_MS;
    log(`running npm ci --no-audit --no-fund in ${PEERS_DIR} (Node ${process.version}, nodedir ${HEADERS_DIR}, timeout ${Math.round(timeoutMs / 60_000)} min)`);
    const started = performance.now();
    const result = await run('npm', ['ci', '--no-audit', '--no-fund'], env, timeoutMs);
    const seconds = Math.round((performance.now() - started) / 1000);
    if (result.timedOut) return { ok: false, reason: `npm ci did not finish within ${Math.round(timeoutMs / 60_000)} min` };
    if (result.code !== 0) {
      const lastLines = result.tail.trim().split('\n').slice(-6).join(' | ');
      return { ok: false, reason: `npm ci failed (${result.code ?? result.signal}) after ${seconds}s: ${lastLines}` };
    }
    const missing = MUST_EXIST.filter((file) => !existsSync(join(PEERS_DIR, file)));
    if (missing.length > 0) return { ok: false, reason: `npm ci succeeded but ${missing.join(', ')} is missing` };
    if (!sqliteAddonBuilt()) return { ok: false, reason: 'npm ci succeeded but sqlite3 has no built addon (build/Release/node_sqlite3.node)' };
    writeFileSync(STAMP, `${JSON.stringify(stamp, null, 2)}\n`);
    log(`peers installed in ${seconds}s`);
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: `installing the peers failed: ${error instanceof Error ? error.message : String(error)}` };
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outcome = await installPeers();
  if (outcome.ok) log('peers are installed');
  else {
    log(`not installed: ${outcome.reason}`);
    process.exitCode = 1;
  }
}
