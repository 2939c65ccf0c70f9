// W3C trace context across the backbone: each request continues the caller's trace (or starts
// one when telemetry is on), and `request.traceparent` is what the events it writes carry, so a
// case's events can be found from a trace and a trace from an event.
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import type { Span } from '@opentelemetry/api';
import { formatTraceparent, parseTraceparent } from '@nrm/bus';
import fastifyPlugin from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyRequest {
    /** The request's trace context as a W3C traceparent, or null when there is none. */
    traceparent: string | null;
  }
}

export { formatTraceparent, parseTraceparent };

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
