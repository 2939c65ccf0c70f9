// The audit service's signing key (tree heads, case bundles): a service signing key
// (service-kit) given by NRM_AUDIT_SIGNING_KEY or kept as a development key in the audit's storage.
import { loadServiceSigner } from '@nrm/service-kit';
import type { ServiceSigner, ServiceStorage } from '@nrm/service-kit';

export const AUDIT_SIGNING_KEY_ENV = 'NRM_AUDIT_SIGNING_KEY';
export { SIGNING_ALGORITHM as AUDIT_SIGNING_ALGORITHM } from '@nrm/service-kit';
export type AuditSigner = ServiceSigner;

export function loadAuditSigner(storage: ServiceStorage, env: NodeJS.ProcessEnv = process.env): Promise<AuditSigner> {
  return loadServiceSigner(storage, { envVar: AUDIT_SIGNING_KEY_ENV, tableName: 'audit_signing_key' }, env);
}
