// The identification case as identification sees it: the presumed victims it verifies (xác minh),
// each with the steps taken and how verification concluded (xác định nạn nhân). Folded from
// identification's own case stream, referral events included: the case exists for identification
// from the moment a referral reaches it, and a referral that names a person brings that person.
import type { VerificationStepRecorded, VictimIdentified, VictimNotIdentified } from '@nrm/contracts';
import type { DomainEvent } from '@nrm/service-kit';

type Steps = readonly VerificationStepRecorded[];

export type PresumedVictim =
  | { status: 'verifying'; personId: string; steps: Steps }
  | { status: 'identified'; personId: string; steps: Steps; identified: VictimIdentified }
  | { status: 'not-identified'; personId: string; steps: Steps; notIdentified: VictimNotIdentified };

export type IdentificationCase = { status: 'none' } | { status: 'open'; persons: Readonly<Record<string, PresumedVictim>> };

export type OpenIdentificationCase = Extract<IdentificationCase, { status: 'open' }>;

export const initialIdentificationCase = (): IdentificationCase => ({ status: 'none' });

function withPerson(state: IdentificationCase, person: PresumedVictim): OpenIdentificationCase {
  const persons = state.status === 'open' ? state.persons : {};
  return { status: 'open', persons: { ...persons, [person.personId]: person } };
}

function personIn(state: IdentificationCase, personId: string): PresumedVictim | undefined {
  return state.status === 'open' ? state.persons[personId] : undefined;
}

export function evolveIdentificationCase(state: IdentificationCase, event: DomainEvent): IdentificationCase {
  switch (event.type) {
    case 'identification.ReferralReceived': {
      const { personId } = event.data as { personId?: string };
      if (personId && !personIn(state, personId)) return withPerson(state, { status: 'verifying', personId, steps: [] });
      return state.status === 'open' ? state : { status: 'open', persons: {} };
    }
    case 'identification.VerificationStepRecorded': {
      const step = event.data as VerificationStepRecorded;
      const person = personIn(state, step.personId) ?? { status: 'verifying', personId: step.personId, steps: [] };
      return withPerson(state, { ...person, steps: [...person.steps, step] });
    }
    case 'identification.VictimIdentified': {
      const identified = event.data as VictimIdentified;
      const person = personIn(state, identified.personId);
      return person ? withPerson(state, { status: 'identified', personId: person.personId, steps: person.steps, identified }) : state;
    }
    case 'identification.VictimNotIdentified': {
      const notIdentified = event.data as VictimNotIdentified;
      const person = personIn(state, notIdentified.personId);
      return person ? withPerson(state, { status: 'not-identified', personId: person.personId, steps: person.steps, notIdentified }) : state;
    }
    default:
      return state;
  }
}
