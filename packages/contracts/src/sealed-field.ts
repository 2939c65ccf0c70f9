// Personal data never enters an event in plaintext. A personal field holds a sealed envelope:
// AES-256-GCM ciphertext under the data key of the person it is about. Deleting that person's
// key (crypto-shredding) makes every envelope about them unreadable while the log, and its
// hashes, stay intact.
import { z } from 'zod';
import { UlidSchema } from './ids.ts';

const Base64Url = z.string().regex(/^[A-Za-z0-9_-]*$/, 'must be base64url');

export const SealedFieldSchema = z.strictObject({
  /** Marks the value as sealed, with the envelope format's version. */
  sealed: z.literal('nrm.v1'),
  /** The person whose data key sealed it. */
  subject: UlidSchema,
  /** Which of that person's keys (keys rotate; old ones stay until erasure). */
  kid: z.string().min(1).max(64),
  alg: z.literal('A256GCM'),
  iv: Base64Url.length(16),
  ct: Base64Url,
  tag: Base64Url.length(22),
});
export type SealedField = z.infer<typeof SealedFieldSchema>;

export function isSealedField(value: unknown): value is SealedField {
  return SealedFieldSchema.safeParse(value).success;
}

/** The kinds of personal data the backbone knows; each is sealed, never stored in clear. */
export const PERSONAL_FIELD_KINDS = ['fullName', 'dateOfBirth', 'idNumber', 'address', 'phone', 'photoRef', 'freeText'] as const;
export type PersonalFieldKind = (typeof PERSONAL_FIELD_KINDS)[number];

/** Use in an event schema wherever personal data goes: only a sealed envelope passes. */
export const personal = () => SealedFieldSchema.describe('personal data: a sealed field envelope (AES-256-GCM)');
