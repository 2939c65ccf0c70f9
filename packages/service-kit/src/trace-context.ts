// W3C trace context across the backbone: each request continues the caller's trace (or starts
// one when telemetry is on), and `request.traceparent` is what the events it writes carry, so a
// case's events can be found from a trace and a trace from an event.
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, context, isSpanContextValid, trace } from '@opentelemetry/api';
import type { Span, SpanContext } from '@opentelemetry/api';
import fastifyPlugin from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyRequest {
    /** The request's trace context as a W3C traceparent, or null when there is none. */
    traceparent: string | null;
  }
}

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

export function parseTraceparent(header: string | undefined): SpanContext | undefined {
  const match = header === undefined ? null : TRACEPARENT.exec(header.trim());
  if (!match) return undefined;
  const spanContext: SpanContext = { traceId: match[1]!, spanId: match[2]!, traceFlags: Number.parseInt(match[3]!, 16), isRemote: true };
  return isSpanContextValid(spanContext) ? spanContext : undefined;
}

export function formatTraceparent(spanContext: SpanContext): string | null {
  if (!isSpanContextValid(spanContext)) return null;
  return `00-${spanContext.traceId}-${spanContext.spanId}-${(spanContext.traceFlags & 0xff).toString(16).padStart(2, '0')}`;
}

/** The traceparent of the active span, for code outside a request (bus consumers, schedulers). */
export function currentTraceparent(): string | null {
  const span = trace.getSpan(context.active());
  return span ? formatTraceparent(span.spanContext()) : null;
}

export const traceContextPlugin = fastifyPlugin(
  async (app) => {
    const tracer = trace.getTracer('@nrm/service-kit');
    const spans = new WeakMap<object, Span>();
    app.decorateRequest('traceparent', null);
    app.addHook('onRequest', async (request) => {
      const header = request.headers.traceparent;
      const remote = parseTraceparent(typeof header === 'string' ? header : undefined);
      const parent = remote ? trace.setSpanContext(ROOT_CONTEXT, remote) : ROOT_CONTEXT;
      // Without the SDK this span is a non-recording one that simply carries the caller's context.
      const span = tracer.startSpan(`${request.method} ${request.routeOptions.url ?? 'unmatched'}`, {
        kind: SpanKind.SERVER,
        attributes: { 'http.request.method': request.method, 'http.route': request.routeOptions.url ?? '' },
      }, parent);
      spans.set(request, span);
      request.traceparent = formatTraceparent(span.spanContext());
    });
    app.addHook('onResponse', async (request, reply) => {
      const span = spans.get(request);
      if (!span) return;
      span.setAttribute('http.response.status_code', reply.statusCode);
      if (reply.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    });
  },
  { name: 'nrm-trace-context', fastify: '5.x' },
);
