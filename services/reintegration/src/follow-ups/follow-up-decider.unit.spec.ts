// Follow-up visits as a specification: recorded while the case is open, with or without a plan.
import { describe, it } from 'vitest';
import { fakeSealed } from '@nrm/contracts/testing';
import { DomainRuleError, IllegalStateError, NotFoundError } from '@nrm/service-kit';
import { closedCase, cmd, openCase, otherPersonId, personId, spec, withPlan } from '../testing/given-reintegration-case.ts';

const visit = { personId, mode: 'home-visit', wellbeing: 'improving', note: fakeSealed(personId) };

describe('reintegration: follow-up visits', () => {
  it('are recorded with the sealed note, plan or no plan', () => {
    spec.given(openCase).when(cmd('RecordFollowUpVisit', visit)).then([{ type: 'reintegration.FollowUpVisitMade', data: visit }]);
    spec.given(withPlan).when(cmd('RecordFollowUpVisit', { ...visit, wellbeing: 'at-risk' })).then([{ type: 'reintegration.FollowUpVisitMade', data: { ...visit, wellbeing: 'at-risk' } }]);
  });

  it('only in an open case, for its person', () => {
    spec.given([]).when(cmd('RecordFollowUpVisit', visit)).thenThrows(NotFoundError);
    spec.given(closedCase).when(cmd('RecordFollowUpVisit', visit)).thenThrows(IllegalStateError, 'case-closed');
    spec.given(openCase).when(cmd('RecordFollowUpVisit', { ...visit, personId: otherPersonId })).thenThrows(DomainRuleError, 'person-mismatch');
  });
});
