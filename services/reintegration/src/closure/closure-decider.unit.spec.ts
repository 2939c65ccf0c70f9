// Closing as a specification: once, with an outcome, for the case's person; a closed case takes
// no command after.
import { describe, it } from 'vitest';
import { fakeSealed } from '@nrm/contracts/testing';
import { DomainRuleError, IllegalStateError, NotFoundError } from '@nrm/service-kit';
import { closed, closedCase, closing, cmd, openCase, otherPersonId, personId, spec, withPlan } from '../testing/given-reintegration-case.ts';

describe('reintegration: closing the case', () => {
  it('closes with an outcome, with or without a plan', () => {
    spec.given(withPlan).when(cmd('CloseReintegrationCase', closing)).then([closed]);
    const lost = { personId, outcome: 'lost-contact', note: fakeSealed(personId) };
    spec.given(openCase).when(cmd('CloseReintegrationCase', lost)).then([{ type: 'reintegration.ReintegrationCaseClosed', data: lost }]);
  });

  it('closes once', () => {
    spec.given(closedCase).when(cmd('CloseReintegrationCase', closing)).thenThrows(IllegalStateError, 'case-closed');
  });

  it('closes only an existing case, for its person', () => {
    spec.given([]).when(cmd('CloseReintegrationCase', closing)).thenThrows(NotFoundError);
    spec.given(withPlan).when(cmd('CloseReintegrationCase', { ...closing, personId: otherPersonId })).thenThrows(DomainRuleError, 'person-mismatch');
  });
});
