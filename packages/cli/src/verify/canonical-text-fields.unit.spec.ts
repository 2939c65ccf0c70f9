import { describe, expect, it } from 'vitest';
import { GENESIS_HASH, canonicalize, hashedForm, idMemberAt, newId, sha256Hex } from '@nrm/contracts';
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
      // A second member that is looked for, anywhere: taking apart finds the last one, the check
      // looks where it must be and then forward, and the two must still agree.
      for (const member of [',"hash":"', ',"id":"', `,"hash":"${hash}","id":"`]) {
        const longer = envelope.slice(0, at) + member + envelope.slice(at);
        expect(isEnvelopeOf(longer, body, hash, 1234), `${member} at ${at}`).toBe(byParts(longer, body, hash, 1234));
      }
    }
    expect(differing).toBeGreaterThan(envelope.length);
  });

  it('gives the same answer when the caller hands it where the stored text\'s id member is', () => {
    const { body, hash, envelope } = stored({ a: 1 }, 7);
    expect(isEnvelopeOf(envelope, body, hash, 7, idMemberAt(body))).toBe(true);
    expect(isEnvelopeOf(envelope, body, hash, 7, idMemberAt(body) - 1)).toBe(false);
    const noId = body.replace(',"id":"', ',"jd":"');
    expect(isEnvelopeOf(envelope, noId, hash, 7, idMemberAt(noId))).toBe(false);
  });

  it('agrees with taking apart on a stored text that holds a hash member after its id (a text written by hand, which still hashes)', () => {
    const { body } = stored({ a: 1 }, 7);
    const idAt = idMemberAt(body);
    const positionAt = body.indexOf(',"prevHash":"', idAt);
    const typeAt = body.lastIndexOf(',"type":"');
    for (const odd of [body.slice(0, typeAt) + ',"hash":"x"' + body.slice(typeAt), body.slice(0, idAt + 33) + ',"hash":"' + body.slice(idAt + 33)]) {
      const hash = sha256Hex(odd);
      const at = odd.indexOf(',"prevHash":"', idAt);
      // The envelope the archive would write for it: hash before the id, position before prevHash.
      const envelope = `${odd.slice(0, idAt)},"hash":"${hash}"${odd.slice(idAt, at)},"position":7${odd.slice(at)}`;
      expect(at).toBeGreaterThan(0);
      expect(isEnvelopeOf(envelope, odd, hash, 7)).toBe(byParts(envelope, odd, hash, 7));
    }
    expect(positionAt).toBeGreaterThan(idAt);
  });

  it('agrees with taking apart when the stored hash is not hex and holds a member name', () => {
    const { body } = stored({ a: 1 }, 7);
    const idAt = idMemberAt(body);
    const at = body.indexOf(',"prevHash":"', idAt);
    for (const hash of [`${'a'.repeat(30)},"hash":"${'b'.repeat(25)}`, `${'a'.repeat(30)},"id":"${'b'.repeat(27)}`]) {
      expect(hash).toHaveLength(64);
      const envelope = `${body.slice(0, idAt)},"hash":"${hash}"${body.slice(idAt, at)},"position":7${body.slice(at)}`;
      expect(isEnvelopeOf(envelope, body, hash, 7)).toBe(byParts(envelope, body, hash, 7));
    }
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
