import { describe, expect, it } from 'vitest';
import { canonicalize } from './canonical-json.ts';
import { ChainVerifier, GENESIS_HASH, hashEvent, hashedForm, sha256Hex } from './hash-chain.ts';
import type { HashedEvent } from './envelope.ts';
import { newId } from './ids.ts';

function chain(stream: string, count: number, data: Record<string, unknown> = { n: 1 }): { position: number; stream: string; revision: number; hashedText: string; hash: string }[] {
  let prevHash = GENESIS_HASH;
  return Array.from({ length: count }, (_, revision) => {
    const event: HashedEvent = { id: newId(), type: 'intake.TipReceived', schemaVersion: 1, occurredAt: '2026-01-01T00:00:00.000Z', agency: 'intake', actor: 'a', caseId: null, causationId: null, traceparent: null, data, stream, revision, recordedAt: '2026-01-01T00:00:00.000Z', prevHash };
    const hashedText = hashedForm(event);
    prevHash = sha256Hex(hashedText);
    return { position: revision, stream, revision, hashedText, hash: prevHash };
  });
}

describe('hash chain', () => {
  it('hashes the canonical form, so member order does not matter', () => {
    const [row] = chain('s', 1);
    const event = JSON.parse(row!.hashedText) as HashedEvent;
    const reordered = Object.fromEntries(Object.entries(event).reverse()) as HashedEvent;
    expect(hashEvent(reordered)).toBe(row!.hash);
  });

  it('accepts an intact chain and finds a changed payload, a broken link and a gap', () => {
    const rows = chain('s', 4);
    const verifier = new ChainVerifier({ densePositions: true });
    for (const row of rows) verifier.check(row);
    expect(verifier.result()).toEqual({ ok: true, checked: 4, streams: 1, lastPosition: 3 });

    const changed = rows.map((row) => ({ ...row }));
    changed[2]!.hashedText = changed[2]!.hashedText.replace('"n":1', '"n":2');
    const second = new ChainVerifier({ densePositions: true });
    changed.forEach((row) => second.check(row));
    expect(second.result()).toMatchObject({ ok: false, firstBreak: { position: 2, problem: 'hash-mismatch' } });

    const gap = new ChainVerifier({ densePositions: true });
    [rows[0]!, rows[2]!].forEach((row) => gap.check(row));
    expect(gap.result()).toMatchObject({ ok: false, firstBreak: { position: 2, problem: 'position-gap' } });
  });

  it('finds events of one stream swapped in place', () => {
    const rows = chain('s', 3);
    const swapped = [rows[0]!, { ...rows[2]!, position: 1 }, { ...rows[1]!, position: 2 }];
    const verifier = new ChainVerifier({ densePositions: true });
    swapped.forEach((row) => verifier.check(row));
    expect(verifier.result()).toMatchObject({ ok: false, firstBreak: { position: 1 } });
  });

  it('reads the chain fields correctly when the payload holds look-alike keys', () => {
    const rows = chain('s', 2, { nested: { id: newId(), prevHash: 'f'.repeat(64), revision: 9, stream: 'evil' }, text: '","id":"' });
    const verifier = new ChainVerifier({ densePositions: true });
    rows.forEach((row) => verifier.check(row));
    expect(verifier.result()).toMatchObject({ ok: true, checked: 2 });
  });
});

describe('hashedForm', () => {
  it('is exactly the RFC 8785 form of the event without hash and position', () => {
    const event = { id: newId(), type: 'intake.TipReceived', schemaVersion: 2, occurredAt: '2026-01-01T00:00:00.000Z', agency: 'intake', actor: 'officer "7"', caseId: newId(), causationId: null, traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01', data: { z: [1, { b: 2, a: 'é' }], a: null }, stream: 'intake-1', revision: 3, recordedAt: '2026-01-01T00:00:01.000Z', prevHash: GENESIS_HASH } as HashedEvent;
    expect(hashedForm(event)).toBe(canonicalize(event));
    expect(hashedForm({ ...event, position: 9, hash: 'x' } as HashedEvent)).toBe(canonicalize(event));
  });

  it('gives the same text on its fast path as the general one, whatever the envelope members hold', () => {
    const base = { id: newId(), type: 'intake.TipReceived', schemaVersion: 1, occurredAt: '2026-01-01T00:00:00.000Z', agency: 'intake', actor: 'a', caseId: null, causationId: null, traceparent: null, data: { b: 1, a: { d: [2, undefined], c: new Date(0) } }, stream: 's', revision: 0, recordedAt: '2026-01-01T00:00:01.000Z', prevHash: GENESIS_HASH };
    const variants: Record<string, unknown>[] = [
      base,
      { ...base, caseId: undefined, traceparent: undefined },
      { ...base, data: { '1': 'integer-like', b: 2 } },
      { ...base, data: JSON.parse('{"__proto__":{"x":1},"a":2}') as unknown },
      { ...base, caseId: { b: 1, a: 2 } },
      { ...base, revision: '3' },
      { ...base, actor: ['x', { b: 1, a: 0 }] },
    ];
    for (const variant of variants) {
      const { position: _position, hash: _hash, ...members } = { ...variant, position: 1, hash: 'h' };
      expect(hashedForm(variant as HashedEvent)).toBe(canonicalize(members));
    }
    expect(() => hashedForm({ ...base, revision: Number.NaN } as HashedEvent)).toThrow();
  });
});
