// `nrm start` as an operator runs it: every service answers its health route, the API refuses
// anonymous callers with problem+json, bad options are clear errors, and SIGTERM stops it cleanly.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVICES } from '@nrm/contracts';
import { runNrm, startNrm } from './nrm-process.ts';
import type { NrmProcess } from './nrm-process.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'nrm-e2e-start-'));
let backbone: NrmProcess;

beforeAll(async () => {
  backbone = await startNrm(['--port', '0', '--data-dir', dataDir]);
});

afterAll(async () => {
  await backbone?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('nrm start (embedded)', () => {
  it('serves /health and /ready for each of the seven services', async () => {
    for (const service of SERVICES) {
      const health = await fetch(`${backbone.url}/v1/${service}/health`);
      expect(health.status, service).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok' });
      const ready = await fetch(`${backbone.url}/v1/${service}/ready`);
      expect(ready.status, service).toBe(200);
      expect(await ready.json()).toMatchObject({ status: 'ready', checks: ['eventstore:sqlite'] });
    }
  });

  it('refuses a request without a token with a 401 problem', async () => {
    const response = await fetch(`${backbone.url}/v1/intake/cases`);
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(await response.json()).toMatchObject({ status: 401, type: expect.stringMatching(/unauthorized$/) });
  });

  it('prints an admin token the API accepts, and a token from `nrm token` too', async () => {
    expect(backbone.adminToken).toMatch(/^ey[\w-]+\.[\w-]+\.[\w-]+$/);
    const withAdmin = await fetch(`${backbone.url}/v1/audit/no-such-route`, { headers: { authorization: `Bearer ${backbone.adminToken}` } });
    expect(withAdmin.status).toBe(404);
    const minted = await runNrm(['token', '--agency', 'intake', '--roles', 'clerk', '--data-dir', dataDir]);
    expect(minted.code).toBe(0);
    const withMinted = await fetch(`${backbone.url}/v1/intake/no-such-route`, { headers: { authorization: `Bearer ${minted.stdout.trim()}` } });
    expect(withMinted.status).toBe(404);
    const forged = `${minted.stdout.trim().slice(0, -4)}AAAA`;
    expect((await fetch(`${backbone.url}/v1/intake/no-such-route`, { headers: { authorization: `Bearer ${forged}` } })).status).toBe(401);
  });
});

describe('nrm start refuses bad options with a clear message', () => {
  it('an unknown store URL scheme', async () => {
    const result = await runNrm(['start', '--store', 'mysql://h/db', '--data-dir', dataDir]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/unknown store URL scheme/);
  });

  it('a port in use', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const port = (holder.address() as { port: number }).port;
    try {
      const result = await runNrm(['start', '--port', String(port), '--data-dir', dataDir]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(new RegExp(`port ${port} on 127.0.0.1 is in use`));
    } finally {
      holder.close();
    }
  });

  it('an unwritable data directory', async () => {
    const result = await runNrm(['start', '--data-dir', '/proc/nrm-data']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/data directory \/proc\/nrm-data is not writable/);
  });

  it('a bad port, log level, service or role', async () => {
    expect((await runNrm(['start', '--port', '70000'])).stderr).toMatch(/--port=70000: must be 0\.\.65535/);
    expect((await runNrm(['start'], { env: { NRM_LOG_LEVEL: 'loud' } })).stderr).toMatch(/NRM_LOG_LEVEL=loud/);
    expect((await runNrm(['start', 'police'])).stderr).toMatch(/unknown service "police"/);
    expect((await runNrm(['token', '--roles', 'chief'])).stderr).toMatch(/unknown role chief/);
  });

  it('every command has --help', async () => {
    for (const command of ['start', 'token']) {
      const result = await runNrm([command, '--help']);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(new RegExp(`^nrm ${command}: `));
    }
  });
});

describe('nrm start <service>', () => {
  it('runs one service alone on its own store and stops cleanly on SIGTERM', async () => {
    const one = await startNrm(['rescue', '--port', '0', '--data-dir', dataDir]);
    try {
      expect(one.output()).toMatch(/service rescue listening/);
      expect(one.output()).toMatch(/sqlite:.*rescue\.db/);
      expect((await fetch(`${one.url}/v1/rescue/health`)).status).toBe(200);
      expect((await fetch(`${one.url}/v1/intake/health`)).status).toBe(401);
    } finally {
      expect(await one.stop()).toBe(0);
    }
  });
});
