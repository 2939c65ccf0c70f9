// Decoding an ingress message is total: every kind of bad bytes comes back as a refusal with its
// rule, never as an exception; a good one as the fact and its trace. The sender's credential is
// read apart: the bearer token, and the broker's timestamp only where the broker set it.
import { describe, expect, it } from 'vitest';
import { newId } from '@nrm/contracts';
import type { ParsedFact } from '../port.ts';
import { credentialOf, decodeIngress, rejectionMessage } from './ingress-message.ts';

/** Stands in for the agency's fact schema: an object with a string `id`, `type` and an object `data`. */
function parseFact(value: unknown): ParsedFact {
  const fact = value as { id?: unknown; type?: unknown; data?: unknown };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, errors: [{ field: '(root)', message: 'expected an object' }] };
  if (typeof fact.id !== 'string' || typeof fact.type !== 'string' || typeof fact.data !== 'object') return { ok: false, errors: [{ field: 'type', message: 'required' }] };
  return { ok: true, fact: { id: fact.id, type: fact.type, data: fact.data as Record<string, unknown> } };
}

const options = { maxBytes: 1024, parseFact };
const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
const record = (value: Buffer | string | null, headers: Record<string, string> = {}) => ({ key: Buffer.from('case-1'), value: typeof value === 'string' ? Buffer.from(value) : value, headers, offset: '42' });
const ruleOf = (decoded: ReturnType<typeof decodeIngress>) => (decoded.ok ? 'ok' : decoded.refusal.rule);

describe('decodeIngress', () => {
  const fact = { id: newId(), type: 'intake.TipReceived', data: { channel: 'hotline-111' } };

  it('reads a fact and its trace from traceparent, and drops a malformed traceparent', () => {
    expect(decodeIngress(record(JSON.stringify(fact), { traceparent }), options)).toEqual({ ok: true, fact, traceparent });
    expect(decodeIngress(record(JSON.stringify(fact), { traceparent: '00-zz' }), options)).toEqual({ ok: true, fact, traceparent: null });
  });

  it('refuses a fact with a __proto__ member anywhere (HTTP refuses it too), and one nested absurdly deep', () => {
    const poisoned = '{"id":"01JBQ7Y0PACKET0000000000AA","type":"intake.TipReceived","data":{"channel":"police","__proto__":{"admin":true}}}';
    const decoded = decodeIngress({ key: null, value: Buffer.from(poisoned), headers: {}, offset: '0' }, { maxBytes: 1 << 20, parseFact: () => ({ ok: true, fact: { id: 'x', type: 't', data: {} } }) });
    expect(decoded).toMatchObject({ ok: false, refusal: { rule: 'invalid-fact', factId: '01JBQ7Y0PACKET0000000000AA' } });
    const deep = `{"id":"01JBQ7Y0PACKET0000000000AA","type":"intake.TipReceived","data":${'{"a":'.repeat(80)}1${'}'.repeat(80)}}`;
    expect(decodeIngress({ key: null, value: Buffer.from(deep), headers: {}, offset: '0' }, { maxBytes: 1 << 20, parseFact: () => ({ ok: true, fact: { id: 'x', type: 't', data: {} } }) })).toMatchObject({ ok: false });
  });

  it('refuses what is not a fact, each with its rule', () => {
    expect(ruleOf(decodeIngress(record(null), options))).toBe('empty-message');
    expect(ruleOf(decodeIngress(record(''), options))).toBe('empty-message');
    expect(ruleOf(decodeIngress(record('x'.repeat(1025)), options))).toBe('message-too-large');
    expect(ruleOf(decodeIngress(record(Buffer.from([0x7b, 0xff, 0xfe, 0x7d])), options))).toBe('not-utf8');
    expect(ruleOf(decodeIngress(record('{"id": '), options))).toBe('not-json');
    expect(ruleOf(decodeIngress(record('[1, 2]'), options))).toBe('invalid-fact');
  });

  it('a value of exactly the limit is read', () => {
    const padded = JSON.stringify({ ...fact, data: { note: '' } });
    const exact = JSON.stringify({ ...fact, data: { note: 'x'.repeat(1024 - padded.length) } });
    expect(Buffer.byteLength(exact)).toBe(1024);
    expect(decodeIngress(record(exact), options).ok).toBe(true);
  });

  it('keeps the id of a fact of the wrong shape when it is a valid one, and never echoes the value', () => {
    const id = newId();
    const decoded = decodeIngress(record(JSON.stringify({ id, kind: 'secret statement' })), options);
    expect(decoded).toEqual({ ok: false, refusal: { factId: id, rule: 'invalid-fact', detail: expect.any(String), errors: [{ field: 'type', message: 'required' }] } });
    const notJson = decodeIngress(record('Nguyễn Thị Lan, 0912 345 678'), options);
    expect(JSON.stringify(notJson)).not.toContain('0912');
  });
});

describe('credentialOf', () => {
  const stamped = (headers: Record<string, string>, timestamp = '1767323045678') => ({ ...record('{}', headers), timestamp });

  it('takes the bearer token of the authorization header, in any case of "Bearer"', () => {
    expect(credentialOf(stamped({ authorization: 'Bearer abc.def-_.ghi' }), { appendTime: false }).token).toBe('abc.def-_.ghi');
    expect(credentialOf(stamped({ authorization: 'bearer  abc.def.ghi' }), { appendTime: false }).token).toBe('abc.def.ghi');
  });

  it('has no token without the header, or with another scheme or a malformed one', () => {
    for (const authorization of [undefined, '', 'Basic dXNlcjpwYXNz', 'Bearer', 'Bearer a b', 'Bearer \u0000']) {
      const headers: Record<string, string> = authorization === undefined ? {} : { authorization };
      expect(credentialOf(stamped(headers), { appendTime: false }).token).toBeNull();
    }
  });

  it("trusts the message's timestamp only where the broker stamps it", () => {
    expect(credentialOf(stamped({}), { appendTime: true }).appendedAt).toEqual(new Date(1767323045678));
    expect(credentialOf(stamped({}), { appendTime: false }).appendedAt).toBeNull();
    expect(credentialOf(stamped({}, '-1'), { appendTime: true }).appendedAt).toBeNull();
    expect(credentialOf(stamped({}, 'soon'), { appendTime: true }).appendedAt).toBeNull();
  });
});

describe('rejectionMessage', () => {
  it('is keyed like the refused message and says where it is, the rule also as a header', () => {
    const factId = newId();
    const message = rejectionMessage(
      { factId, rule: 'referral-to-self', detail: 'intake cannot refer a case to itself' },
      { topic: 'nrm.intake.ingress.v1', partition: 2, record: record('{}', { traceparent }) },
      new Date('2026-01-02T03:04:05.678Z'),
    );
    expect(message.key).toEqual(Buffer.from('case-1'));
    expect(JSON.parse(String(message.value))).toEqual({
      factId,
      rule: 'referral-to-self',
      detail: 'intake cannot refer a case to itself',
      source: { topic: 'nrm.intake.ingress.v1', partition: 2, offset: '42', key: 'case-1' },
      rejectedAt: '2026-01-02T03:04:05.678Z',
    });
    expect(message.headers).toMatchObject({ 'nrm-rule': 'referral-to-self', 'nrm-fact-id': factId, 'nrm-source-offset': '42', traceparent });
  });

  it('is keyed by the fact id when the message had no key', () => {
    const factId = newId();
    const message = rejectionMessage({ factId, rule: 'unknown-event-type', detail: '' }, { topic: 't', partition: 0, record: { ...record('{}'), key: null } }, new Date());
    expect(message.key).toBe(factId);
    expect(JSON.parse(String(message.value)).source.key).toBeNull();
  });
});
