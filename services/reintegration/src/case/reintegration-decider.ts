// Reintegration's rules for a case (pure), one feature per slice: the plan and support against
// it, follow-up visits, closure; and the guard on referring onward (from an open case, naming
// only its person), e.g. back to protection when a follow-up finds the person at risk.
import type { DomainEvent } from '@nrm/service-kit';
import type { AgencyDecider } from '@nrm/agency-kit';
import { decideClosure } from '../closure/closure-decider.ts';
import type { ClosureCommand } from '../closure/closure-decider.ts';
import { decideFollowUp } from '../follow-ups/follow-up-decider.ts';
import type { FollowUpCommand } from '../follow-ups/follow-up-decider.ts';
import { decidePlan } from '../plans/plan-decider.ts';
import type { PlanCommand } from '../plans/plan-decider.ts';
import { activeCase, assertCasePerson, evolveReintegrationCase, initialReintegrationCase } from './reintegration-case.ts';
import type { ReintegrationCase } from './reintegration-case.ts';

export type ReintegrationCommand = PlanCommand | FollowUpCommand | ClosureCommand;

export const reintegrationDecider: AgencyDecider<ReintegrationCommand, ReintegrationCase> = {
  initialState: initialReintegrationCase,
  evolve: evolveReintegrationCase,

  decide(command, state): DomainEvent[] {
    switch (command.type) {
      case 'AgreeReintegrationPlan':
      case 'DeliverReintegrationSupport':
        return decidePlan(command, state);
      case 'RecordFollowUpVisit':
        return decideFollowUp(command, state);
      case 'CloseReintegrationCase':
        return decideClosure(command, state);
      default: {
        const unknown: never = command;
        throw new Error(`unhandled reintegration command ${(unknown as { type: string }).type}`);
      }
    }
  },

  guardReferral(state, referral) {
    const open = activeCase(state);
    if (referral.personId !== undefined) assertCasePerson(open, referral.personId);
  },
};
