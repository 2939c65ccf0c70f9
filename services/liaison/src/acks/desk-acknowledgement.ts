// A desk's acknowledgement: a compact JWS signed with one of the desk's registered signing keys,
// over {packetId, packetSha256, kind, personId?, reason?, acknowledgedAt}. Naming the packet's
// digest binds the answer to the exact bytes the desk received, so the packet and its
// acknowledgement together are a receipt either country can check offline.
import { compactVerify, decodeProtectedHeader, importJWK } from 'jose';
import type { JWK } from 'jose';
import { z } from 'zod';
import { AcknowledgementKindSchema, IsoTimeSchema, UlidSchema } from '@nrm/contracts';
import type { DeskPublicJwk } from '@nrm/contracts';
import { DomainRuleError } from '@nrm/service-kit';

export const ACK_TYPE = 'nrm-handover-ack+jws';

export const AcknowledgementPayloadSchema = z.strictObject({
  packetId: UlidSchema,
  packetSha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be the SHA-256 (hex) of the packet’s compact JWS as received'),
  kind: AcknowledgementKindSchema,
  personId: UlidSchema.optional(),
  reason: z.string().trim().min(3).max(1000).optional(),
  acknowledgedAt: IsoTimeSchema,
});
export type AcknowledgementPayload = z.infer<typeof AcknowledgementPayloadSchema>;

/** The algorithm a desk key signs with, from its curve: nothing else is accepted for it. */
export function signingAlgorithmOf(key: DeskPublicJwk): string {
  if (key.kty === 'OKP') return 'EdDSA';
  return key.crv === 'P-256' ? 'ES256' : 'ES384';
}

export class AcknowledgementRefusedError extends DomainRuleError {
  override readonly name = 'AcknowledgementRefusedError';
}

/**
 * Verifies a compact JWS with the desk's registered key named by `kid` (only a current signing
 * key of this desk, with the algorithm of its curve) and returns the payload as JSON.
 */
export async function verifyDeskSignature(jws: string, signingKeys: readonly DeskPublicJwk[], what: string, typ: string): Promise<{ payload: unknown; kid: string }> {
  let kid: string | undefined;
  let headerTyp: string | undefined;
  try {
    ({ kid, typ: headerTyp } = decodeProtectedHeader(jws));
  } catch {
    throw new AcknowledgementRefusedError(`${what}-not-a-jws`, `the ${what} is not a compact JWS`);
  }
  // The type is part of what is signed: an acknowledgement cannot pass for a cosignature, and the
  // offline check of a receipt (which requires it) never refuses what the backbone accepted.
  if (headerTyp !== typ) throw new AcknowledgementRefusedError(`${what}-type-invalid`, `the ${what}'s protected header must say typ ${typ}; it says ${JSON.stringify(headerTyp ?? null)}`);
  const key = signingKeys.find((candidate) => candidate.kid === kid && candidate.use === 'sig');
  if (!key) throw new AcknowledgementRefusedError(`${what}-key-not-registered`, `the ${what} is signed with key ${JSON.stringify(kid ?? null)}, which is not a current signing key of this desk`);
  const algorithm = signingAlgorithmOf(key);
  const { use: _use, alg: _alg, ...material } = key;
  let payloadBytes: Uint8Array;
  try {
    const verified = await compactVerify(jws, await importJWK({ ...material, alg: algorithm } as JWK, algorithm), { algorithms: [algorithm] });
    payloadBytes = verified.payload;
  } catch {
    throw new AcknowledgementRefusedError(`${what}-signature-invalid`, `the ${what}'s signature does not verify with the desk's key ${key.kid}`);
  }
  try {
    return { payload: JSON.parse(new TextDecoder().decode(payloadBytes)), kid: key.kid };
  } catch {
    throw new AcknowledgementRefusedError(`${what}-payload-invalid`, `the ${what}'s payload is not JSON`);
  }
}

/** Verifies an acknowledgement's signature (verifyDeskSignature), then its payload's shape. */
export async function verifyAcknowledgement(jws: string, signingKeys: readonly DeskPublicJwk[]): Promise<{ payload: AcknowledgementPayload; kid: string }> {
  const { payload, kid } = await verifyDeskSignature(jws, signingKeys, 'ack', ACK_TYPE);
  const parsed = AcknowledgementPayloadSchema.safeParse(payload);
  if (!parsed.success) throw new AcknowledgementRefusedError('ack-payload-invalid', `the acknowledgement’s payload: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || '(payload)'}: ${issue.message}`).join('; ')}`);
  return { payload: parsed.data, kid };
}
