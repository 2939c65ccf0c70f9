// Sealed envelopes for schema tests: well-formed, sealed for the subject given, and holding no
// real ciphertext (the vault's own tests cover encryption). Tests of the contracts need only
// what the schemas check.
import type { SealedField } from '../sealed-field.ts';

export function fakeSealed(subject: string): SealedField {
  return { sealed: 'nrm.v1', subject, kid: 'k1', alg: 'A256GCM', iv: 'AAAAAAAAAAAAAAAA', ct: 'c2VhbGVk', tag: 'AAAAAAAAAAAAAAAAAAAAAA' };
}
