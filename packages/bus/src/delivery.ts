// Delivering one event to a handler: retry with capped exponential backoff, and after the last
// attempt hand it to the dead-letter callback so one poisonous event cannot stall a consumer
// forever. Nothing is lost by that: the event stays in the log, and the consumer can be replayed.
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import type { Span } from '@opentelemetry/api';
import type { RecordedEvent } from '@nrm/contracts';
import type { BusHandler } from './port.ts';
import { parseTraceparent } from './trace-context.ts';

const tracer = trace.getTracer('@nrm/bus');

export const DEFAULT_MAX_ATTEMPTS = 12;

export function backoffMs(attempt: number): number {
  return Math.min(5000, 25 * 2 ** (attempt - 1));
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

export type DeliveryOutcome = 'handled' | 'dead-lettered' | 'aborted';

export async function deliver(
  event: RecordedEvent,
  handler: BusHandler,
  options: {
    maxAttempts: number;
    signal: AbortSignal;
    onRetry?: (event: RecordedEvent, error: unknown, attempt: number) => void;
    onDeadLetter?: (event: RecordedEvent, error: unknown) => void | Promise<void>;
    /** The trace context the transport carried (Kafka's traceparent header); else the event's own. */
    traceparent?: string | null;
    /** Names the delivery span, e.g. the topic or `embedded`. */
    source?: string;
  },
): Promise<{ outcome: DeliveryOutcome; attempts: number }> {
  // The handler runs inside a consumer span continuing the event's trace, so what it records
  // (a reaction's events) carries the same trace id as the request that caused it.
  const remote = parseTraceparent(options.traceparent ?? event.traceparent);
  const span = tracer.startSpan(`process ${options.source ?? event.agency}`, {
    kind: SpanKind.CONSUMER,
    attributes: { 'nrm.event.id': event.id, 'nrm.event.type': event.type, ...(options.source ? { 'messaging.source.name': options.source } : {}) },
  }, remote ? trace.setSpanContext(ROOT_CONTEXT, remote) : ROOT_CONTEXT);
  try {
    const result = await context.with(trace.setSpan(context.active(), span), () => deliverWithRetries(event, handler, options, span));
    if (result.outcome === 'dead-lettered') span.setStatus({ code: SpanStatusCode.ERROR, message: 'dead-lettered' });
    span.setAttribute('nrm.attempts', result.attempts);
    return result;
  } finally {
    span.end();
  }
}

async function deliverWithRetries(
  event: RecordedEvent,
  handler: BusHandler,
  options: Parameters<typeof deliver>[2],
  span: Span,
): Promise<{ outcome: DeliveryOutcome; attempts: number }> {
  for (let attempt = 1; ; attempt++) {
    if (options.signal.aborted) return { outcome: 'aborted', attempts: attempt - 1 };
    try {
      await handler(event);
      return { outcome: 'handled', attempts: attempt };
    } catch (error) {
      if (attempt >= options.maxAttempts) {
        await Promise.resolve(options.onDeadLetter?.(event, error)).catch(() => undefined);
        return { outcome: 'dead-lettered', attempts: attempt };
      }
      span.addEvent('retry', { attempt, error: String(error) });
      options.onRetry?.(event, error, attempt);
      await sleep(backoffMs(attempt), options.signal);
    }
  }
}

/**
 * One attempt at a run of events through a batch handler, in one consumer span; false when it
 * failed (the caller then delivers the events one by one, with retries and dead-lettering).
 */
export async function deliverBatchOnce(events: readonly RecordedEvent[], handleBatch: (events: readonly RecordedEvent[]) => Promise<void>, source: string): Promise<boolean> {
  const span = tracer.startSpan(`process ${source}`, {
    kind: SpanKind.CONSUMER,
    attributes: { 'nrm.events': events.length, 'nrm.position.first': events[0]!.position, 'nrm.position.last': events.at(-1)!.position, 'messaging.source.name': source },
  }, ROOT_CONTEXT);
  try {
    await context.with(trace.setSpan(context.active(), span), () => handleBatch(events));
    return true;
  } catch (error) {
    span.addEvent('batch failed; delivering one by one', { error: String(error) });
    return false;
  } finally {
    span.end();
  }
}
