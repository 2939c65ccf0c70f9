import { describe, expect, it } from 'vitest';
import { examplePayloads } from '../testing/example-payloads.ts';
import { DeskKeySetSchema, DeskRegisteredSchema, HandoverAcknowledgedSchema } from './liaison.ts';

const registered = examplePayloads['liaison.DeskRegistered'] as { keys: { keys: Record<string, unknown>[] } } & Record<string, unknown>;
const [signing, encryption] = registered.keys.keys as [Record<string, unknown>, Record<string, unknown>];

describe('liaison contracts', () => {
  it('refuses a private key in a desk key set: only public members are ever registered', () => {
    const result = DeskKeySetSchema.safeParse({ keys: [{ ...signing, d: 'c2VjcmV0LWtleS1tYXRlcmlhbC10aGF0LW11c3Qtbm90LWxlYWs' }, encryption] });
    expect(result.success).toBe(false);
  });

  it('needs a signing and an encryption key, each kid once, each curve for its use', () => {
    expect(DeskKeySetSchema.safeParse({ keys: [signing, { ...signing, kid: 'second' }] }).success).toBe(false);
    expect(DeskKeySetSchema.safeParse({ keys: [signing, { ...encryption, kid: signing.kid }] }).success).toBe(false);
    expect(DeskKeySetSchema.safeParse({ keys: [{ ...signing, use: 'enc' }, encryption] }).success).toBe(false);
    expect(DeskKeySetSchema.safeParse({ keys: [signing, encryption] }).success).toBe(true);
  });

  it('names a desk by country and name, and refuses anything else', () => {
    expect(DeskRegisteredSchema.safeParse({ ...registered, deskId: 'KH-Bavet' }).success).toBe(false);
    expect(DeskRegisteredSchema.safeParse({ ...registered, deskId: 'kh-bavet' }).success).toBe(true);
  });

  it('an acknowledgement names a person exactly when one was received, and a discrepancy its reason', () => {
    const ack = examplePayloads['liaison.HandoverAcknowledged'] as Record<string, unknown>;
    expect(HandoverAcknowledgedSchema.safeParse({ ...ack, kind: 'received' }).success).toBe(false);
    const { personId: _personId, ...withoutPerson } = ack;
    expect(HandoverAcknowledgedSchema.safeParse({ ...withoutPerson, kind: 'received' }).success).toBe(true);
    expect(HandoverAcknowledgedSchema.safeParse({ ...withoutPerson, kind: 'discrepancy' }).success).toBe(false);
    expect(HandoverAcknowledgedSchema.safeParse({ ...withoutPerson, kind: 'discrepancy', reason: 'two persons listed, one arrived' }).success).toBe(true);
  });
});
