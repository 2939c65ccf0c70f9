// Every service's OpenAPI document, as the running embedded backbone serves it, is a valid
// OpenAPI 3 document (checked with an independent validator) covering only that service's paths.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Validator } from '@seriousme/openapi-schema-validator';
import { SERVICES } from '@nrm/contracts';
import type { RunningBackbone } from '@nrm/cli';
import { startEmbeddedBackbone } from './embedded-backbone.ts';

let running: Awaited<ReturnType<typeof startEmbeddedBackbone>>;
let backbone: RunningBackbone;

beforeAll(async () => {
  running = await startEmbeddedBackbone('openapi');
  ({ backbone } = running);
});

afterAll(async () => running?.stop());

describe('OpenAPI documents', () => {
  it('the validator refuses a broken document (so a pass below means something)', async () => {
    const broken = await new Validator().validate({ openapi: '3.0.3', info: { title: 'x' }, paths: { 'no-slash': { get: 1 } } } as never);
    expect(broken.valid).toBe(false);
  });

  it.each(SERVICES)('%s serves a valid OpenAPI 3 document of its own paths, and a reference page', async (service) => {
    const response = await fetch(`${backbone.url}/v1/${service}/openapi.json`);
    expect(response.status).toBe(200);
    const document = (await response.json()) as { openapi: string; paths: Record<string, unknown> };
    const result = await new Validator().validate(document as never);
    expect(result.errors ?? [], JSON.stringify(result.errors)).toEqual([]);
    expect(result.valid).toBe(true);
    expect(Object.keys(document.paths).every((path) => path.startsWith(`/v1/${service}/`))).toBe(true);
    const page = await fetch(`${backbone.url}/v1/${service}/docs`);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
  });
});
