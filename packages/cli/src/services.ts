// The seven services the backbone is made of, in the order of the referral chain, and the port
// each listens on when it runs alone (`nrm start <service>`).
import type { Agency } from '@nrm/contracts';
import type { BackboneService } from '@nrm/service-kit';
import { auditService } from '@nrm/audit';
import { identificationService } from '@nrm/identification';
import { intakeService } from '@nrm/intake';
import { liaisonService } from '@nrm/liaison';
import { protectionService } from '@nrm/protection';
import { reintegrationService } from '@nrm/reintegration';
import { rescueService } from '@nrm/rescue';

export const SERVICES: readonly BackboneService[] = [intakeService, identificationService, rescueService, protectionService, reintegrationService, auditService, liaisonService];

export const STANDALONE_PORTS: Record<Agency, number> = {
  intake: 8081,
  identification: 8082,
  rescue: 8083,
  protection: 8084,
  reintegration: 8085,
  audit: 8086,
  liaison: 8087,
};

export function serviceNamed(name: string): BackboneService | undefined {
  return SERVICES.find((service) => service.name === name);
}
