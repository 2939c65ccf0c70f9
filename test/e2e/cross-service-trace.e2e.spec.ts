// One trace across two services: intake and identification, each a backbone of its own with its
// own store, joined by a real Kafka broker, and an in-memory span exporter in place of the OTLP
// one. The referral's HTTP request, the command that issues it, its append, the outbox relay's
// publish, identification's delivery of it and the reaction that files it share one trace id,
// and the ReferralReceived event carries it. Without a broker: skipped, with the reason.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { kafkaTestBrokers } from '@nrm/bus/testing';
import { createBackboneClient, resolveStartConfig, startBackbone } from '@nrm/cli';
import type { BackboneClient, RunningBackbone } from '@nrm/cli';
import { SERVICES, newId } from '@nrm/contracts';
import type { Agency, RecordedEvent } from '@nrm/contracts';

const found = await kafkaTestBrokers();
const exporter = new InMemorySpanExporter();
const backbones: RunningBackbone[] = [];
const dataDir = mkdtempSync(join(tmpdir(), 'nrm-trace-'));
let client: BackboneClient;

describe.skipIf(!found.brokers)(`tracing across services${found.skipReason ? ` (skipped: ${found.skipReason})` : ''}`, () => {
  beforeAll(async () => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    trace.setGlobalTracerProvider(new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] }));
    const bus = `kafka://${found.brokers!.join(',')}?namespace=trace-${newId().toLowerCase()}.`;
    for (const service of ['intake', 'identification'] as const) {
      backbones.push(await startBackbone(resolveStartConfig(service, { port: '0', 'data-dir': dataDir, bus, 'log-level': 'silent' }, {})));
    }
    const [intake, identification] = backbones as [RunningBackbone, RunningBackbone];
    const urls = Object.fromEntries(SERVICES.map((agency) => [agency, agency === 'identification' ? identification.url : intake.url])) as Record<Agency, string>;
    client = await createBackboneClient({ baseUrl: urls, dataDir });
  }, 90_000);
  afterAll(async () => {
    for (const backbone of backbones.reverse()) await backbone.close();
    trace.disable();
    context.disable();
    rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('follows a referral from the HTTP call through the append, the Kafka hop and the reaction', async () => {
    const tip = await client.post<{ caseId: string }>('intake', '/tips', { channel: 'hotline-111', province: 'Tây Ninh', allegedPlace: { country: 'KH' }, peopleCount: 1, minorCount: 0, statement: 'A worker lured to a casino in Bavet.' });
    await client.post('intake', `/cases/${tip.caseId}/classification`, { tipId: tip.caseId, classification: 'suspected-trafficking', riskLevel: 'high', suspectedForms: ['forced-labour'] });
    exporter.reset();
    await client.post('intake', `/cases/${tip.caseId}/referrals`, { to: 'identification', kind: 'verification', priority: 'urgent', involvesChild: false, summary: 'Presumed victim held in Cambodia' });

    const [, identification] = backbones as [RunningBackbone, RunningBackbone];
    const received = await client.waitFor('the referral to reach identification', async () => {
      for await (const event of identification.store.readAll({ filter: { types: ['identification.ReferralReceived'], caseIds: [tip.caseId] } })) return event;
      return undefined;
    });
    // The reaction's span ends just after the append the event came from.
    await client.waitFor('the reaction span', async () => exporter.getFinishedSpans().find((span) => span.name === 'handle ReceiveReferral') ?? undefined);

    const spans = exporter.getFinishedSpans();
    const request = spans.find((span) => span.name === 'POST /v1/intake/cases/:caseId/referrals');
    expect(request, 'the HTTP server span').toBeDefined();
    const traceId = request!.spanContext().traceId;
    const inTrace = spans.filter((span) => span.spanContext().traceId === traceId);
    const names = inTrace.map((span) => span.name);
    expect(names).toEqual(expect.arrayContaining(['POST /v1/intake/cases/:caseId/referrals', 'handle IssueReferral', 'append', 'handle ReceiveReferral']));
    // The hop: identification's delivery span is the child of intake's publish span.
    const publish = inTrace.find((span) => span.name.startsWith('publish ') && span.name.endsWith('intake.events.v1'));
    const delivery = inTrace.find((span) => span.name.startsWith('process ') && span.name.endsWith('intake.events.v1') && span.attributes['nrm.event.type'] === 'intake.ReferralIssued');
    expect(publish, `a publish span in ${names.join(', ')}`).toBeDefined();
    expect(delivery, `a delivery span in ${names.join(', ')}`).toBeDefined();
    expect(delivery!.parentSpanContext?.spanId).toBe(publish!.spanContext().spanId);
    const reaction = inTrace.find((span) => span.name === 'handle ReceiveReferral');
    expect(reaction!.parentSpanContext?.spanId, 'the reaction runs inside the delivery').toBe(delivery!.spanContext().spanId);
    const streams = inTrace.map((span) => String(span.attributes['nrm.stream'] ?? ''));
    expect(streams.some((stream) => stream.startsWith('intake-')), 'a span in intake').toBe(true);
    expect(streams.some((stream) => stream.startsWith('identification-')), 'a span in identification').toBe(true);
    expect((received as RecordedEvent).traceparent?.split('-')[1], 'the event carries the trace').toBe(traceId);
  });
});
