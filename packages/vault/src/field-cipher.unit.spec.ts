import { randomBytes } from 'node:crypto';
import { newId } from '@nrm/contracts';
import { describe, expect, it } from 'vitest';
import { SealedFieldTamperedError } from './errors.ts';
import { decryptField, encryptField } from './field-cipher.ts';

describe('field cipher', () => {
  const key = randomBytes(32);
  const binding = { subject: newId(), kid: newId(), field: 'fullName' };
  const envelope = encryptField(key, binding, '"Mai"');

  it('opens under the binding it was sealed with', () => {
    expect(decryptField(key, binding, envelope)).toBe('"Mai"');
  });

  // Even under the same key, each part of the binding is authenticated on its own: the subject
  // check does not lean on people having different keys.
  it.each([
    ['subject', { ...binding, subject: newId() }],
    ['kid', { ...binding, kid: newId() }],
    ['field', { ...binding, field: 'fullname' }],
  ])('refuses another %s under the same key', (_part, other) => {
    expect(() => decryptField(key, other, envelope)).toThrow(SealedFieldTamperedError);
  });

  it('refuses a non-canonical base64url tag that would decode to the same bytes', () => {
    // 22 characters carry 132 bits for a 128-bit tag: the last one's low 4 bits are padding.
    const last = envelope.tag.at(-1)!;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const sibling = alphabet[alphabet.indexOf(last) ^ 1]!;
    const tag = envelope.tag.slice(0, -1) + sibling;
    expect(Buffer.from(tag, 'base64url').equals(Buffer.from(envelope.tag, 'base64url'))).toBe(true);
    expect(() => decryptField(key, binding, { ...envelope, tag })).toThrow(SealedFieldTamperedError);
  });
});
