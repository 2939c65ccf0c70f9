// W3C traceparent parsing and formatting, and the request's trace context without the SDK:
// the caller's context is carried on, an invalid header is ignored.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from './app.ts';
import type { NrmApp } from './app.ts';
import { createTestAuth } from './testing/test-auth.ts';
import { currentTraceparent, formatTraceparent, parseTraceparent } from './trace-context.ts';

const HEADER = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe('traceparent', () => {
  it('round-trips a valid header', () => {
    const parsed = parseTraceparent(HEADER);
    expect(parsed).toEqual({ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', traceFlags: 1, isRemote: true });
    expect(formatTraceparent(parsed!)).toBe(HEADER);
  });

  it.each([
    ['an all-zero trace id', '00-00000000000000000000000000000000-00f067aa0ba902b7-01'],
    ['an all-zero span id', '00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01'],
    ['upper case', HEADER.toUpperCase()],
    ['another version', `01${HEADER.slice(2)}`],
    ['a truncated header', HEADER.slice(0, 40)],
  ])('refuses %s', (_name, header) => {
    expect(parseTraceparent(header)).toBeUndefined();
  });

  it('has no current traceparent outside any span', () => {
    expect(currentTraceparent()).toBeNull();
  });
});

describe('request trace context', () => {
  let app: NrmApp;
  beforeAll(async () => {
    app = await buildApp({ serviceName: 'test', auth: (await createTestAuth()).auth, logger: { level: 'silent' } });
    app.get('/trace', { config: { public: true } }, async (request) => ({ traceparent: request.traceparent }));
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
  });

  it("continues the caller's trace", async () => {
    const response = await app.inject({ method: 'GET', url: '/trace', headers: { traceparent: HEADER } });
    expect(response.json()).toEqual({ traceparent: HEADER });
  });

  it('has none when the caller sent none or an invalid one (and telemetry is off)', async () => {
    expect((await app.inject({ method: 'GET', url: '/trace' })).json()).toEqual({ traceparent: null });
    expect((await app.inject({ method: 'GET', url: '/trace', headers: { traceparent: 'garbage' } })).json()).toEqual({ traceparent: null });
  });
});
