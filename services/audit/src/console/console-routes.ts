// The auditor console: one HTML page, one script and one stylesheet, hand-written and kept in
// `assets/`, served by the audit service itself so the console works without any external
// network. Loading them needs no token; every data call the page makes does (the auditor's).
// The strict Content-Security-Policy lets the page load only this origin's files and call only
// this origin's API: no inline script, no CDN, no third-party requests.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NrmApp } from '@nrm/service-kit';

export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

export const CONSOLE_ASSETS_DIR = join(import.meta.dirname, 'assets');

const ASSETS = [
  { path: '/console', file: 'index.html', type: 'text/html; charset=utf-8' },
  { path: '/console/app.js', file: 'app.js', type: 'text/javascript; charset=utf-8' },
  { path: '/console/app.css', file: 'app.css', type: 'text/css; charset=utf-8' },
] as const;

export function registerConsoleRoutes(app: NrmApp): void {
  for (const { path, file, type } of ASSETS) {
    // Read once at start: the files are small and change only with a deployment.
    const body = readFileSync(join(CONSOLE_ASSETS_DIR, file), 'utf8');
    app.get(path, { config: { public: true }, schema: { hide: true } }, async (_request, reply) =>
      reply
        .type(type)
        .header('content-security-policy', CONSOLE_CSP)
        .header('x-content-type-options', 'nosniff')
        .header('referrer-policy', 'no-referrer')
        .header('cache-control', 'no-cache')
        .send(body),
    );
  }
}
