// Rescue's rules for a case (pure): rescues requested, planned, executed and their persons
// recorded; returns from abroad received; outgoing handovers planned, scheduled and completed;
// persons referred to protection. Each command's rules live with its feature; this puts them
// together as the case's decider.
import type { AgencyDecider, ReferralBook } from '@nrm/agency-kit';
import type { DomainEvent } from '@nrm/service-kit';
import { completeHandover, planHandover, scheduleHandover } from '../handovers/outgoing-handover.ts';
import type { CompleteHandover, PlanHandover, ScheduleHandover } from '../handovers/outgoing-handover.ts';
import { planRescueOperation, recordPersonsRecovered, recordRescueOperation } from '../operations/rescue-operation.ts';
import type { PlanRescueOperation, RecordPersonsRecovered, RecordRescueOperation } from '../operations/rescue-operation.ts';
import { requestRescue } from '../operations/rescue-request.ts';
import type { RequestRescue } from '../operations/rescue-request.ts';
import { guardProtectionReferral } from '../referrals/protection-referral.ts';
import { receiveReturnFromAbroad } from '../returns/return-from-abroad.ts';
import type { ReceiveReturnFromAbroad } from '../returns/return-from-abroad.ts';
import { evolveRescueCase, initialRescueCase } from './rescue-case.ts';
import type { RescueCase } from './rescue-case.ts';

export type RescueCommand =
  | RequestRescue
  | PlanRescueOperation
  | RecordRescueOperation
  | RecordPersonsRecovered
  | ReceiveReturnFromAbroad
  | PlanHandover
  | ScheduleHandover
  | CompleteHandover;

export const rescueDecider: AgencyDecider<RescueCommand, RescueCase> = {
  initialState: initialRescueCase,
  evolve: evolveRescueCase,

  decide(command, state, referrals: ReferralBook): DomainEvent[] {
    switch (command.type) {
      case 'RequestRescue':
        return requestRescue(command, state, referrals);
      case 'PlanRescueOperation':
        return planRescueOperation(command, state, referrals);
      case 'RecordRescueOperation':
        return recordRescueOperation(command, state, referrals);
      case 'RecordPersonsRecovered':
        return recordPersonsRecovered(command, state, referrals);
      case 'ReceiveReturnFromAbroad':
        return receiveReturnFromAbroad(command, state, referrals);
      case 'PlanHandover':
        return planHandover(command, state, referrals);
      case 'ScheduleHandover':
        return scheduleHandover(command, state, referrals);
      case 'CompleteHandover':
        return completeHandover(command, state, referrals);
      default: {
        const unknown: never = command;
        throw new Error(`unhandled rescue command ${(unknown as { type: string }).type}`);
      }
    }
  },

  guardReferral: guardProtectionReferral,
};
