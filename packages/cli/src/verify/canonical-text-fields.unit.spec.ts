import { describe, expect, it } from 'vitest';
import { GENESIS_HASH, canonicalize, hashedForm, newId, sha256Hex } from '@nrm/contracts';
import type { HashedEvent } from '@nrm/contracts';
import { envelopeParts, isEnvelopeOf } from './canonical-text-fields.ts';

/** The comparison isEnvelopeOf stands for: take the envelope apart and compare the parts. */
function byParts(envelope: string, body: string, hash: string, position: number): boolean {
  const parts = envelopeParts(envelope);
  return parts !== null && parts.position === position && parts.hash === hash && parts.hashedText === body;
}

function stored(data: Record<string, unknown>, position: number): { body: string; hash: string; envelope: string } {
  const event = { id: newId(), type: 'intake.TipReceived', schemaVersion: 1, occurredAt: '2026-01-01T00:00:00.000Z', agency: 'intake', actor: 'officer "7"', caseId: null, causationId: null, traceparent: null, data, stream: 'intake-case-1', revision: 4, recordedAt: '2026-01-01T00:00:01.000Z', prevHash: GENESIS_HASH } as HashedEvent;
  const body = hashedForm(event);
  const hash = sha256Hex(body);
  return { body, hash, envelope: canonicalize({ ...event, position, hash }) };
}

describe('isEnvelopeOf', () => {
  it('answers as taking the envelope apart does, for the archived copy and every one-character change of it', () => {
    // A payload holding look-alikes of the members the check looks for.
    const { body, hash, envelope } = stored({ note: ',"hash":"x","id":"y","position":1,"prevHash":"', nested: { id: 'z', position: 3 } }, 1234);
    expect(isEnvelopeOf(envelope, body, hash, 1234)).toBe(true);
    let differing = 0;
    for (let at = 0; at < envelope.length; at++) {
      for (const replacement of ['0', 'a', '"', ',']) {
        if (envelope[at] === replacement) continue;
        const changed = envelope.slice(0, at) + replacement + envelope.slice(at + 1);
        expect(isEnvelopeOf(changed, body, hash, 1234), `at ${at}: ${replacement}`).toBe(byParts(changed, body, hash, 1234));
        if (!isEnvelopeOf(changed, body, hash, 1234)) differing++;
      }
      // One character less.
      const shorter = envelope.slice(0, at) + envelope.slice(at + 1);
      expect(isEnvelopeOf(shorter, body, hash, 1234)).toBe(byParts(shorter, body, hash, 1234));
    }
    expect(differing).toBeGreaterThan(envelope.length);
  });

  it('refuses another position, another hash and another stored text', () => {
    const { body, hash, envelope } = stored({ a: 1 }, 7);
    expect(isEnvelopeOf(envelope, body, hash, 8)).toBe(false);
    expect(isEnvelopeOf(envelope, body, hash.replace(/^./, hash[0] === 'a' ? 'b' : 'a'), 7)).toBe(false);
    expect(isEnvelopeOf(envelope, body.replace('"a":1', '"a":2'), hash, 7)).toBe(false);
    expect(isEnvelopeOf(envelope, `${body} `, hash, 7)).toBe(false);
    expect(isEnvelopeOf('{}', body, hash, 7)).toBe(false);
  });
});
