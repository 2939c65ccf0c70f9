// How verification concludes for a person (xác định nạn nhân): identified as a victim of
// trafficking, or not and why. Once, and only one of the two: a person's figures are counted
// from this conclusion, so it is never overwritten. A conclusion rests on at least one step.
import type { ReferralBook } from '@nrm/agency-kit';
import type { VictimIdentified, VictimNotIdentified } from '@nrm/contracts';
import { IllegalStateError } from '@nrm/service-kit';
import type { Command, DomainEvent } from '@nrm/service-kit';
import { caseInHand, presumedVictim } from '../case/case-in-hand.ts';
import type { IdentificationCase, PresumedVictim } from '../case/identification-case.ts';

export type IdentifyVictim = Command<'IdentifyVictim', VictimIdentified>;
export type RecordVictimNotIdentified = Command<'RecordVictimNotIdentified', VictimNotIdentified>;

function stillVerifying(state: IdentificationCase, referrals: ReferralBook, personId: string): PresumedVictim {
  const person = presumedVictim(caseInHand(state, referrals), personId);
  switch (person.status) {
    case 'verifying':
      if (person.steps.length === 0) throw new IllegalStateError('not-verified', `record a verification step about person ${personId} before concluding`);
      return person;
    case 'identified':
      throw new IllegalStateError('victim-already-identified', `person ${personId} was already identified as a victim`);
    case 'not-identified':
      throw new IllegalStateError('victim-already-not-identified', `person ${personId} was already found not to be a victim (${person.notIdentified.reason})`);
    default: {
      const unknown: never = person;
      throw new Error(`unhandled person status ${(unknown as { status: string }).status}`);
    }
  }
}

export function identifyVictim(command: IdentifyVictim, state: IdentificationCase, referrals: ReferralBook): DomainEvent[] {
  stillVerifying(state, referrals, command.data.personId);
  return [{ type: 'identification.VictimIdentified', data: { ...command.data } }];
}

export function recordVictimNotIdentified(command: RecordVictimNotIdentified, state: IdentificationCase, referrals: ReferralBook): DomainEvent[] {
  stillVerifying(state, referrals, command.data.personId);
  return [{ type: 'identification.VictimNotIdentified', data: { ...command.data } }];
}
