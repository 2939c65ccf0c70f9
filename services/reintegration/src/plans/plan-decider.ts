// The plan and the support delivered against it (pure): a plan is agreed (and may be agreed
// again, which revises it) while the case is open; support is delivered only once a plan is in
// force, and only of a kind it plans, so what was given can always be read against what was agreed.
import { DomainRuleError } from '@nrm/service-kit';
import type { Command, DomainEvent } from '@nrm/service-kit';
import type { ReintegrationPlanAgreed, ReintegrationSupportDelivered } from '@nrm/contracts';
import { activeCase, assertCasePerson, planInForce } from '../case/reintegration-case.ts';
import type { ReintegrationCase } from '../case/reintegration-case.ts';

export type PlanCommand = Command<'AgreeReintegrationPlan', ReintegrationPlanAgreed> | Command<'DeliverReintegrationSupport', ReintegrationSupportDelivered>;

export function decidePlan(command: PlanCommand, state: ReintegrationCase): DomainEvent[] {
  const open = activeCase(state);
  assertCasePerson(open, command.data.personId);
  switch (command.type) {
    case 'AgreeReintegrationPlan':
      return [{ type: 'reintegration.ReintegrationPlanAgreed', data: { ...command.data } }];
    case 'DeliverReintegrationSupport': {
      const plan = planInForce(open);
      if (!plan) throw new DomainRuleError('no-plan', 'agree a reintegration plan with the person before delivering support');
      if (!plan.supports.includes(command.data.kind)) {
        throw new DomainRuleError('support-not-planned', `the plan in force plans ${plan.supports.join(', ')}, not ${command.data.kind}; agree a revised plan first`);
      }
      return [{ type: 'reintegration.ReintegrationSupportDelivered', data: { ...command.data } }];
    }
    default: {
      const unknown: never = command;
      throw new Error(`unhandled plan command ${(unknown as { type: string }).type}`);
    }
  }
}
