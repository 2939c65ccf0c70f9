// The person's shelter stays, in order: admitted, then discharged. At most the last stay is
// still open, which is where the person is now.
import type { ShelterAdmitted, ShelterDischarged } from '@nrm/contracts';
import type { DomainEvent } from '@nrm/service-kit';

export type ShelterStay = { admitted: ShelterAdmitted; discharged: ShelterDischarged | null };

export type ShelterFile = { stays: readonly ShelterStay[] };

export const NO_SHELTER_STAYS: ShelterFile = { stays: [] };

/** The stay the person is in now, if any. */
export function currentStay(file: ShelterFile): ShelterStay | null {
  const last = file.stays.at(-1);
  return last && last.discharged === null ? last : null;
}

export function evolveShelter(file: ShelterFile, event: DomainEvent): ShelterFile {
  switch (event.type) {
    case 'protection.ShelterAdmitted':
      return { stays: [...file.stays, { admitted: event.data as ShelterAdmitted, discharged: null }] };
    case 'protection.ShelterDischarged': {
      const current = currentStay(file);
      if (!current) return file;
      return { stays: [...file.stays.slice(0, -1), { ...current, discharged: event.data as ShelterDischarged }] };
    }
    default:
      return file;
  }
}
