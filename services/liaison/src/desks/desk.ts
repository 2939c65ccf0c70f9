// A foreign liaison desk as the backbone knows it: the counterpart office in a neighbouring
// country that receives outgoing handovers through some border gates, reads packets in its
// language, may receive some personal fields, and proves what it says with its public keys.
import type { BorderGate, DeskId, DeskKeySet, DeskLanguage, NeighbourCountry, PersonField } from '@nrm/contracts';

export type Desk = {
  deskId: DeskId;
  country: NeighbourCountry;
  name: string;
  borderGates: BorderGate[];
  language: DeskLanguage;
  fieldProfile: PersonField[];
  contact: { office: string; email?: string; phone?: string };
  keys: DeskKeySet;
  /** The desk stream's revision: the ETag a profile change or rotation may name in If-Match. */
  revision: number;
};

/** The registered desks, as the liaison service's own log tells them. */
export type DeskDirectory = {
  get(deskId: string): Promise<Desk | undefined>;
  list(): Promise<Desk[]>;
  /** Desks that receive a handover to `country` at `gate`: those of the country whose borderGates include the gate or are empty (= every gate); with no gate, every desk of the country. */
  forHandover(country: string, gate: string | undefined): Promise<Desk[]>;
};

export const DESK_STREAM_PREFIX = 'liaison-desk-';

/** One stream per desk: its registration, profile changes and key rotations, in order. */
export function deskStream(deskId: string): string {
  return `${DESK_STREAM_PREFIX}${deskId}`;
}
