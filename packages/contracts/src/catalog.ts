// Every event type the backbone knows. Agencies add their own definitions here as they grow;
// the generated catalog (docs/events.md) and JSON Schemas are made from this list.
import { referralEvents } from './referral.ts';
import { EventRegistry } from './registry.ts';

export const eventRegistry = new EventRegistry([...referralEvents]);
