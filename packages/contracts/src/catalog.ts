// Every event type the backbone knows. Agencies add their own definitions here as they grow;
// the generated catalog (docs/events.md) and JSON Schemas are made from this list.
import { identificationEvents } from './events/identification.ts';
import { intakeEvents } from './events/intake.ts';
import { liaisonEvents } from './events/liaison.ts';
import { protectionEvents } from './events/protection.ts';
import { reintegrationEvents } from './events/reintegration.ts';
import { rescueEvents } from './events/rescue.ts';
import { personalDataAccessEvents } from './personal-data-access.ts';
import { personErasureEvents } from './person-erasure.ts';
import { referralEvents } from './referral.ts';
import { EventRegistry } from './registry.ts';

export const eventRegistry = new EventRegistry([...referralEvents, ...intakeEvents, ...identificationEvents, ...rescueEvents, ...protectionEvents, ...reintegrationEvents, ...liaisonEvents, ...personalDataAccessEvents, ...personErasureEvents]);
