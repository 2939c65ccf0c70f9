// The plan and support as a specification: a plan first, then support of the kinds it plans;
// the plan may be revised.
import { describe, it } from 'vitest';
import { DomainRuleError, IllegalStateError } from '@nrm/service-kit';
import { closedCase, cmd, openCase, otherPersonId, personId, plan, planAgreed, spec, withPlan } from '../testing/given-reintegration-case.ts';

const training = { personId, kind: 'vocational-training', provider: 'womens-union', province: 'Hà Tĩnh' };
const cash = { personId, kind: 'cash-allowance', provider: 'state', amountVnd: 1_500_000, province: 'Hà Tĩnh' };

describe('reintegration: plan and support', () => {
  it('agrees a plan, and agrees it again to revise it', () => {
    spec.given(openCase).when(cmd('AgreeReintegrationPlan', plan)).then([planAgreed]);
    const revised = { ...plan, supports: ['vocational-training', 'psychosocial', 'cash-allowance'] };
    spec.given(withPlan).when(cmd('AgreeReintegrationPlan', revised)).then([{ type: 'reintegration.ReintegrationPlanAgreed', data: revised }]);
  });

  it('delivers support the plan in force plans', () => {
    spec.given(withPlan).when(cmd('DeliverReintegrationSupport', training)).then([{ type: 'reintegration.ReintegrationSupportDelivered', data: training }]);
    const revised = { type: 'reintegration.ReintegrationPlanAgreed', data: { ...plan, supports: ['cash-allowance'] } };
    spec.given([...withPlan, revised]).when(cmd('DeliverReintegrationSupport', cash)).then([{ type: 'reintegration.ReintegrationSupportDelivered', data: cash }]);
    spec.given([...withPlan, revised]).when(cmd('DeliverReintegrationSupport', training)).thenThrows(DomainRuleError, 'support-not-planned');
  });

  it('delivers no support before a plan was agreed, or of a kind not planned', () => {
    spec.given(openCase).when(cmd('DeliverReintegrationSupport', training)).thenThrows(DomainRuleError, 'no-plan');
    spec.given(withPlan).when(cmd('DeliverReintegrationSupport', cash)).thenThrows(DomainRuleError, 'support-not-planned');
  });

  it('only for the case’s person, and not once the case is closed', () => {
    spec.given(withPlan).when(cmd('DeliverReintegrationSupport', { ...training, personId: otherPersonId })).thenThrows(DomainRuleError, 'person-mismatch');
    spec.given(closedCase).when(cmd('AgreeReintegrationPlan', plan)).thenThrows(IllegalStateError, 'case-closed');
    spec.given(closedCase).when(cmd('DeliverReintegrationSupport', training)).thenThrows(IllegalStateError, 'case-closed');
  });
});
