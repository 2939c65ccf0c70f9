// Safety measures and initial support as a specification: recorded for the case's person while
// the case is open.
import { describe, it } from 'vitest';
import { fakeSealed } from '@nrm/contracts/testing';
import { DomainRuleError, IllegalStateError, NotFoundError } from '@nrm/service-kit';
import { closedCase, cmd, openCase, otherPersonId, personId, spec } from '../testing/given-protection-case.ts';

const measure = { personId, measure: 'identity-confidentiality', note: fakeSealed(personId) };
const support = { personId, kinds: ['food', 'clothing', 'travel-allowance'], amountVnd: 500_000, province: 'Tây Ninh' };

describe('protection: safety and initial support', () => {
  it('records a safety measure and initial support', () => {
    spec.given(openCase).when(cmd('TakeSafetyMeasure', measure)).then([{ type: 'protection.SafetyMeasureTaken', data: measure }]);
    spec.given(openCase).when(cmd('GiveInitialSupport', support)).then([{ type: 'protection.InitialSupportGiven', data: support }]);
  });

  it('only in an opened, open case, for its person', () => {
    for (const [type, data] of [['TakeSafetyMeasure', measure], ['GiveInitialSupport', support]] as const) {
      spec.given([]).when(cmd(type, data)).thenThrows(NotFoundError);
      spec.given(closedCase).when(cmd(type, data)).thenThrows(IllegalStateError, 'case-closed');
      spec.given(openCase).when(cmd(type, { ...data, personId: otherPersonId })).thenThrows(DomainRuleError, 'person-mismatch');
    }
  });
});
