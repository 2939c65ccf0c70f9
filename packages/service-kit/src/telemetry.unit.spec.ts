// Telemetry starts only when an OTLP endpoint is configured; once started, spans get real
// trace context that the traceparent helpers can read.
import { trace } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { startTelemetry } from './telemetry.ts';
import { currentTraceparent } from './trace-context.ts';

describe('startTelemetry', () => {
  it('does nothing without OTEL_EXPORTER_OTLP_ENDPOINT', async () => {
    const telemetry = await startTelemetry({ serviceName: 'test', env: {} });
    expect(telemetry.enabled).toBe(false);
    trace.getTracer('test').startActiveSpan('work', (span) => {
      expect(currentTraceparent()).toBeNull();
      span.end();
    });
    await telemetry.shutdown();
  });

  it('starts the SDK when an endpoint is set, giving spans a traceparent', async () => {
    // Nothing listens there; no span is ended, so nothing is exported and shutdown is quick.
    const telemetry = await startTelemetry({ serviceName: 'test', env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9', OTEL_METRICS_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none' } });
    try {
      expect(telemetry.enabled).toBe(true);
      const traceparent = trace.getTracer('test').startActiveSpan('work', () => currentTraceparent());
      expect(traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    } finally {
      await telemetry.shutdown();
    }
  });
});
