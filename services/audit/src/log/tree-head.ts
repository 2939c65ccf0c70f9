// Signed tree heads: the log's root at a size, with when it was signed and by which key, as a
// compact JWS (typ `nrm-tree-head+jws`) over the canonical (RFC 8785) JSON of those four fields.
// Anyone holding the published JWKS can check a head offline; two heads of one log are then tied
// together by a consistency proof.
import { canonicalize } from '@nrm/contracts';
import type { AuditSigner } from '../signing/audit-signer.ts';
import type { MerkleLog } from '../merkle/merkle-log.ts';

export const TREE_HEAD_TYPE = 'nrm-tree-head+jws';

export type TreeHead = {
  treeSize: number;
  /** Base64 of the RFC 9162 root hash (MTH) of the first `treeSize` leaves. */
  rootHash: string;
  /** When the head was signed (ISO 8601, UTC). */
  timestamp: string;
  /** The signing key's id in the audit service's JWKS. */
  logId: string;
};

/** A tree head with its signature: the JWS whose payload is `treeHeadPayload` of the other fields. */
export type SignedTreeHead = TreeHead & { signature: string };

export function treeHeadPayload({ treeSize, rootHash, timestamp, logId }: TreeHead): string {
  return canonicalize({ treeSize, rootHash, timestamp, logId });
}

/** The head of the first `treeSize` leaves (the whole log by default), signed now. */
export async function signTreeHead(log: MerkleLog, signer: AuditSigner, treeSize = log.size, now = new Date()): Promise<SignedTreeHead> {
  const head: TreeHead = { treeSize, rootHash: log.root(treeSize).toString('base64'), timestamp: now.toISOString(), logId: signer.kid };
  return { ...head, signature: await signer.sign(treeHeadPayload(head), TREE_HEAD_TYPE) };
}
