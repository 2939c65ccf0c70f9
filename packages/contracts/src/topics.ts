// Kafka topic names (DESIGN.md "Two modes"). Defined once so producers, consumers, the AsyncAPI
// document and the runbook cannot drift apart.
import type { Agency } from './agencies.ts';

export const topics = {
  events: (agency: Agency) => `nrm.${agency}.events.v1`,
  ingress: (agency: Agency) => `nrm.${agency}.ingress.v1`,
  rejections: (agency: Agency) => `nrm.${agency}.rejections.v1`,
  handover: 'nrm.handover.v1',
} as const;
