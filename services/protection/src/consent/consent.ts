// The person's consent as protection holds it: every consent given, every withdrawal, and for
// each scope the consent in force now. Later decisions (what a foreign desk may receive, whether
// the person may be referred to reintegration) read `inForce` and nothing else.
import type { CONSENT_SCOPES, ConsentRecorded, ConsentWithdrawn } from '@nrm/contracts';
import type { DomainEvent } from '@nrm/service-kit';

export type ConsentScope = (typeof CONSENT_SCOPES)[number];

export type ConsentInForce = Pick<ConsentRecorded, 'consentId' | 'givenBy' | 'form'>;

export type ConsentFile = {
  recorded: readonly ConsentRecorded[];
  withdrawals: readonly ConsentWithdrawn[];
  /** Per scope, the latest consent given for it and not withdrawn for it; a newer consent supersedes an older one. */
  inForce: Readonly<Record<ConsentScope, ConsentInForce | null>>;
};

export const NO_CONSENT: ConsentFile = { recorded: [], withdrawals: [], inForce: { 'data-sharing': null, handover: null, reintegration: null } };

export function evolveConsent(file: ConsentFile, event: DomainEvent): ConsentFile {
  switch (event.type) {
    case 'protection.ConsentRecorded': {
      const recorded = event.data as ConsentRecorded;
      const given: ConsentInForce = { consentId: recorded.consentId, givenBy: recorded.givenBy, form: recorded.form };
      const inForce = { ...file.inForce };
      for (const scope of recorded.scopes) inForce[scope] = given;
      return { ...file, recorded: [...file.recorded, recorded], inForce };
    }
    case 'protection.ConsentWithdrawn': {
      const withdrawn = event.data as ConsentWithdrawn;
      const inForce = { ...file.inForce };
      for (const scope of withdrawn.scopes) if (inForce[scope]?.consentId === withdrawn.consentId) inForce[scope] = null;
      return { ...file, withdrawals: [...file.withdrawals, withdrawn], inForce };
    }
    default:
      return file;
  }
}
