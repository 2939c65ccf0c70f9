// How a fact travels on an agency's ingress topic, and how its refusal travels back on the
// rejections topic. One fact per message: its value is the fact as JSON, exactly as one fact of
// the HTTP batch; the sender is named by an `nrm-actor` header, the trace by `traceparent`.
// Decoding is pure and never throws: any bytes at all come back as a fact or as the reason they
// are not one, so nothing produced to the topic can crash the consumer or block its partition.
// A refusal never echoes the value it refuses: the value may hold personal data.
import type { IHeaders, KafkaMessage, Message } from 'kafkajs';
import { TraceparentSchema, UlidSchema } from '@nrm/contracts';
import type { Agency } from '@nrm/contracts';
import type { FieldError, IngressMessage, ParsedFact } from '../port.ts';

export const DEFAULT_MAX_INGRESS_BYTES = 256 * 1024;

/** A sender's name as a JWT subject or service account spells it, within the envelope's 200 characters. */
const ACTOR = /^[A-Za-z0-9][A-Za-z0-9._@:-]{0,199}$/;

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Why a message was refused; `factId` when it named a valid one. */
export type IngressRefusal = { factId: string | null; rule: string; detail: string; errors?: FieldError[] };

/** The record published to the rejections topic: the refusal and where the refused message is. */
export type IngressRejection = IngressRefusal & {
  source: { topic: string; partition: number; offset: string; key: string | null };
  rejectedAt: string;
};

export type DecodedIngress = { ok: true; message: IngressMessage } | { ok: false; refusal: IngressRefusal };

type IngressRecord = Pick<KafkaMessage, 'key' | 'value' | 'headers' | 'offset'>;

function header(headers: IHeaders | undefined, name: string): string | undefined {
  const value = headers?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? undefined : first.toString();
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

export function decodeIngress(record: IngressRecord, options: { agency: Agency; maxBytes: number; parseFact(value: unknown): ParsedFact }): DecodedIngress {
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
  const actor = header(record.headers, 'nrm-actor');
  return {
    ok: true,
    message: { fact: parsed.fact, actor: actor !== undefined && ACTOR.test(actor) ? actor : `${options.agency}-system`, traceparent: traceparentOf(record.headers) },
  };
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
