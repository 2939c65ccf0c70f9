// What was done to keep the person safe and the initial support (hỗ trợ ban đầu) they received,
// in the order it happened: the statistics count both, per kind and per province.
import type { InitialSupportGiven, SafetyMeasureTaken } from '@nrm/contracts';
import type { DomainEvent } from '@nrm/service-kit';

export type SupportFile = { safetyMeasures: readonly SafetyMeasureTaken[]; initialSupport: readonly InitialSupportGiven[] };

export const NO_SUPPORT: SupportFile = { safetyMeasures: [], initialSupport: [] };

export function evolveSupport(file: SupportFile, event: DomainEvent): SupportFile {
  switch (event.type) {
    case 'protection.SafetyMeasureTaken':
      return { ...file, safetyMeasures: [...file.safetyMeasures, event.data as SafetyMeasureTaken] };
    case 'protection.InitialSupportGiven':
      return { ...file, initialSupport: [...file.initialSupport, event.data as InitialSupportGiven] };
    default:
      return file;
  }
}
