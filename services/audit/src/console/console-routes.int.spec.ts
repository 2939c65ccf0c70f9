// The auditor console's files as the audit service serves them: without a token, with the right
// content types and a strict Content-Security-Policy, and with nothing that reaches beyond this
// origin (no URL in any asset, every reference in the page relative).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAgencyTestApp } from '@nrm/agency-kit/testing';
import type { AgencyTestApp } from '@nrm/agency-kit/testing';
import { auditService } from '../index.ts';
import { CONSOLE_ASSETS_DIR } from './console-routes.ts';

let backbone: AgencyTestApp;
beforeAll(async () => {
  backbone = await startAgencyTestApp([auditService]);
});
afterAll(async () => backbone?.close());

const get = (url: string) => backbone.app.inject({ method: 'GET', url });

describe('the auditor console assets', () => {
  it.each([
    ['/v1/audit/console', 'text/html; charset=utf-8', '<h1'],
    ['/v1/audit/console/app.js', 'text/javascript; charset=utf-8', 'verifyInclusion'],
    ['/v1/audit/console/app.css', 'text/css; charset=utf-8', ':focus-visible'],
  ])('serves %s without a token, as %s, under a strict CSP', async (url, type, marker) => {
    const response = await get(url);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe(type);
    expect(response.body).toContain(marker);
    const csp = String(response.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
  });

  it('holds no external URL in any asset, and the page refers only to its own files', () => {
    const files = readdirSync(CONSOLE_ASSETS_DIR);
    expect(files.sort()).toEqual(['app.css', 'app.js', 'index.html']);
    for (const file of files) expect(readFileSync(join(CONSOLE_ASSETS_DIR, file), 'utf8'), file).not.toMatch(/https?:\/\/|\/\/[a-z0-9.-]+\.[a-z]{2,}\//i);
    const page = readFileSync(join(CONSOLE_ASSETS_DIR, 'index.html'), 'utf8');
    const references = [...page.matchAll(/(?:src|href)="([^"]*)"/g)].map((match) => match[1]);
    expect(references.sort()).toEqual(['#main', 'console/app.css', 'console/app.js']);
    expect(page).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(page).not.toMatch(/\sstyle=|\son[a-z]+=/i);
  });

  it('keeps the data behind the auditor token: the page loads, the case does not', async () => {
    expect((await get('/v1/audit/console')).statusCode).toBe(200);
    expect((await get('/v1/audit/cases/01KAAAAAAAAAAAAAAAAAAAAAAA')).statusCode).toBe(401);
  });

  it('stays out of the OpenAPI document', async () => {
    const document = (await get('/v1/audit/openapi.json')).json() as { paths: Record<string, unknown> };
    expect(Object.keys(document.paths).filter((path) => path.includes('console'))).toEqual([]);
  });
});
