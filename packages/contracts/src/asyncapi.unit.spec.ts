// The generated AsyncAPI document is valid AsyncAPI 3 (checked by the reference parser) and
// names every topic of DESIGN.md and every registered event type.
import { describe, expect, it } from 'vitest';
import { Parser } from '@asyncapi/parser';
import { parse } from 'yaml';
import { SERVICES } from './agencies.ts';
import { renderAsyncApi } from './asyncapi-render.ts';
import { eventRegistry } from './catalog.ts';
import { topics } from './topics.ts';

// The reference parser runs every Spectral rule over the whole document: seconds, not milliseconds.
describe('AsyncAPI document', { timeout: 60_000 }, () => {
  it('is valid AsyncAPI 3, with no error-level diagnostics', async () => {
    const { document, diagnostics } = await new Parser().parse(renderAsyncApi());
    const errors = diagnostics.filter((diagnostic) => diagnostic.severity === 0);
    expect(errors.map((error) => `${error.path.join('.')}: ${error.message}`)).toEqual([]);
    expect(document).toBeDefined();
  });

  it('the parser refuses a broken document (so the pass above means something)', async () => {
    const { document, diagnostics } = await new Parser().parse('asyncapi: 3.0.0\ninfo: {}\nchannels: { x: { address: 3 } }\n');
    expect(document).toBeUndefined();
    expect(diagnostics.some((diagnostic) => diagnostic.severity === 0)).toBe(true);
  });

  it('covers every topic and every event type', () => {
    const parsed = parse(renderAsyncApi()) as { channels: Record<string, { address: string }>; components: { messages: Record<string, unknown> } };
    const addresses = Object.values(parsed.channels).map((channel) => channel.address);
    for (const agency of SERVICES) expect(addresses).toEqual(expect.arrayContaining([topics.ingress(agency), topics.rejections(agency)]));
    for (const agency of ['intake', 'identification', 'rescue', 'protection', 'reintegration'] as const) expect(addresses).toContain(topics.events(agency));
    expect(addresses).toContain(topics.handover);
    for (const definition of eventRegistry.all()) expect(Object.keys(parsed.components.messages)).toContain(definition.type);
  });
});
