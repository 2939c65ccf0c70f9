// How a fact travels on an agency's ingress topic, and how its refusal travels back on the
// rejections topic. One fact per message: its value is the fact as JSON, exactly as one fact of
// the HTTP batch; the sender proves who it is with an `authorization: Bearer <access token>`
// header, as on HTTP; the trace travels in `traceparent`.
// Decoding is pure and never throws: any bytes at all come back as a fact or as the reason they
// are not one, so nothing produced to the topic can crash the consumer or block its partition.
// A refusal never echoes the value it refuses: the value may hold personal data.
import type { IHeaders, KafkaMessage, Message } from 'kafkajs';
import { TraceparentSchema, UlidSchema } from '@nrm/contracts';
import type { FieldError, IngressCredential, IngressFact, ParsedFact } from '../port.ts';

export const DEFAULT_MAX_INGRESS_BYTES = 256 * 1024;

/** The same shape the HTTP edge accepts in its Authorization header. */
const BEARER = /^Bearer[ ]+([A-Za-z0-9\-_.~+/]+=*)$/i;

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Why a message was refused; `factId` when it named a valid one. */
export type IngressRefusal = { factId: string | null; rule: string; detail: string; errors?: FieldError[] };

/** The record published to the rejections topic: the refusal and where the refused message is. */
export type IngressRejection = IngressRefusal & {
  source: { topic: string; partition: number; offset: string; key: string | null };
  rejectedAt: string;
};

/** A fact read from a message; who sent it is established apart (`credentialOf`). */
export type DecodedIngress = { ok: true; fact: IngressFact; traceparent: string | null } | { ok: false; refusal: IngressRefusal };

type IngressRecord = Pick<KafkaMessage, 'key' | 'value' | 'headers' | 'offset'> & { timestamp?: string };

function header(headers: IHeaders | undefined, name: string): string | undefined {
  const value = headers?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? undefined : first.toString();
}

/**
 * The sender's credential: the bearer token of the `authorization` header, and the broker's
 * timestamp when `appendTime` says the topic's timestamps are the broker's (LogAppendTime).
 */
export function credentialOf(record: IngressRecord, options: { appendTime: boolean }): IngressCredential {
  const authorization = header(record.headers, 'authorization');
  const token = authorization === undefined ? null : (BEARER.exec(authorization.trim())?.[1] ?? null);
  const millis = options.appendTime && record.timestamp !== undefined ? Number(record.timestamp) : Number.NaN;
  return { token, appendedAt: Number.isFinite(millis) && millis > 0 ? new Date(millis) : null };
}

/** The message's W3C traceparent, or null when it has none or a malformed one (which would fail the envelope). */
export function traceparentOf(headers: IHeaders | undefined): string | null {
  const traceparent = header(headers, 'traceparent')?.trim();
  return traceparent && TraceparentSchema.safeParse(traceparent).success ? traceparent : null;
}

/**
 * Whether a parsed value holds an own `__proto__` member anywhere. JSON.parse makes one an
 * ordinary property, which a record schema then drops without a word: refused instead, as the
 * HTTP edge refuses it (Fastify's proto-poisoning guard), so both ways in take the same facts.
 */
function hasProtoMember(value: unknown, depth = 0): boolean {
  if (value === null || typeof value !== 'object') return false;
  // No fact nests this deep; one that does is refused rather than searched further.
  if (depth > 64) return true;
  if (Array.isArray(value)) return value.some((item) => hasProtoMember(item, depth + 1));
  if (Object.prototype.hasOwnProperty.call(value, '__proto__')) return true;
  return Object.values(value).some((item) => hasProtoMember(item, depth + 1));
}

function factIdOf(json: unknown): string | null {
  const id = typeof json === 'object' && json !== null ? (json as { id?: unknown }).id : undefined;
  return UlidSchema.safeParse(id).success ? (id as string) : null;
}

export function decodeIngress(record: IngressRecord, options: { maxBytes: number; parseFact(value: unknown): ParsedFact }): DecodedIngress {
  const refuse = (rule: string, detail: string, more: Partial<IngressRefusal> = {}): DecodedIngress => ({ ok: false, refusal: { factId: null, rule, detail, ...more } });
  const { value } = record;
  if (!value || value.length === 0) return refuse('empty-message', 'the message has no value; one fact as JSON was expected');
  // Checked before anything reads the value, so an oversized one costs nothing more.
  if (value.length > options.maxBytes) return refuse('message-too-large', `the value is ${value.length} bytes; at most ${options.maxBytes} are accepted`);
  let text: string;
  try {
    text = UTF8.decode(value);
  } catch {
    return refuse('not-utf8', 'the value is not UTF-8 text');
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // JSON.parse's own message quotes the value: not repeated here.
    return refuse('not-json', 'the value is not JSON');
  }
  if (hasProtoMember(json)) return refuse('invalid-fact', 'the value has a "__proto__" member or nests deeper than any fact', { factId: factIdOf(json) });
  const parsed = options.parseFact(json);
  if (!parsed.ok) return refuse('invalid-fact', 'the value is not a fact {id, type, occurredAt?, caseId?, data}', { factId: factIdOf(json), errors: parsed.errors });
  return { ok: true, fact: parsed.fact, traceparent: traceparentOf(record.headers) };
}

/** The rejection of a message, keyed like it (or by the fact's id) so a sender can match the two. */
export function rejectionMessage(refusal: IngressRefusal, source: { topic: string; partition: number; record: IngressRecord }, rejectedAt: Date): Message {
  const { topic, partition, record } = source;
  const rejection: IngressRejection = { ...refusal, source: { topic, partition, offset: record.offset, key: record.key?.toString('utf8') ?? null }, rejectedAt: rejectedAt.toISOString() };
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'nrm-rule': refusal.rule,
    'nrm-source-topic': topic,
    'nrm-source-partition': String(partition),
    'nrm-source-offset': record.offset,
  };
  if (refusal.factId) headers['nrm-fact-id'] = refusal.factId;
  const traceparent = traceparentOf(record.headers);
  if (traceparent) headers.traceparent = traceparent;
  return { key: record.key ?? refusal.factId, value: JSON.stringify(rejection), headers };
}
