// The backbone's key for handover packets: desks verify every packet against the liaison JWKS
// (`/v1/liaison/.well-known/jwks.json`). Given in production by NRM_LIAISON_SIGNING_KEY (a private
// Ed25519 JWK); otherwise a development key kept in the liaison service's storage.
import { loadServiceSigner } from '@nrm/service-kit';
import type { ServiceSigner, ServiceStorage } from '@nrm/service-kit';

export const LIAISON_SIGNING_KEY_ENV = 'NRM_LIAISON_SIGNING_KEY';

export function loadLiaisonSigner(storage: ServiceStorage, env: NodeJS.ProcessEnv = process.env): Promise<ServiceSigner> {
  return loadServiceSigner(storage, { envVar: LIAISON_SIGNING_KEY_ENV, tableName: 'liaison_signing_key' }, env);
}
