// Rescue operations as a specification: planned before executed, executed once, persons recorded
// only after an operation that recovered them, never more than it reported, each person once.
import { describe, it } from 'vitest';
import { newId } from '@nrm/contracts';
import { DomainRuleError, IllegalStateError, NotFoundError } from '@nrm/service-kit';
import { cmd, executionData, inHand, listed, operationExecuted, operationPlanned, personsRecovered, planData, referralReceived, referredPersonId, rescueId, rescueRequested, spec } from '../testing/rescue-fixtures.ts';

const requested = [...inHand, rescueRequested()];
const planned = [...requested, operationPlanned()];
const executed = [...planned, operationExecuted()];

describe('rescue: an operation', () => {
  it('is planned, and re-planned until it took place', () => {
    spec.given(requested).when(cmd('PlanRescueOperation', planData())).then([operationPlanned()]);
    spec.given(planned).when(cmd('PlanRescueOperation', planData({ plannedFor: '2026-11-25T03:00:00.000Z' }))).then([operationPlanned({ plannedFor: '2026-11-25T03:00:00.000Z' })]);
    spec.given(executed).when(cmd('PlanRescueOperation', planData())).thenThrows(IllegalStateError, 'operation-already-executed');
  });

  it('is executed once, and only once planned', () => {
    spec.given(planned).when(cmd('RecordRescueOperation', executionData())).then([operationExecuted()]);
    spec.given(requested).when(cmd('RecordRescueOperation', executionData())).thenThrows(IllegalStateError, 'operation-not-planned');
    spec.given(executed).when(cmd('RecordRescueOperation', executionData())).thenThrows(IllegalStateError, 'operation-already-executed');
  });

  it('belongs to a rescue requested in a case rescue holds', () => {
    spec.given(requested).when(cmd('PlanRescueOperation', planData({ rescueId: newId() }))).thenThrows(DomainRuleError, 'rescue-unknown');
    spec.given(planned).when(cmd('RecordRescueOperation', executionData({ rescueId: newId() }))).thenThrows(DomainRuleError, 'rescue-unknown');
    spec.given([]).when(cmd('PlanRescueOperation', planData())).thenThrows(NotFoundError);
    spec.given([referralReceived()]).when(cmd('PlanRescueOperation', planData())).thenThrows(IllegalStateError, 'no-accepted-referral');
  });
});

describe('rescue: the persons recovered', () => {
  it('are recorded after an operation that recovered them, in parts, up to the number it reported', () => {
    const first = listed(referredPersonId, { ageGroup: '12-15', child: true });
    const second = listed();
    spec.given(executed).when(cmd('RecordPersonsRecovered', { rescueId, persons: [first, second] })).then([personsRecovered([first, second])]);
    spec.given([...executed, personsRecovered([first])]).when(cmd('RecordPersonsRecovered', { rescueId, persons: [second] })).then([personsRecovered([second])]);
    spec.given([...executed, personsRecovered([first, second])]).when(cmd('RecordPersonsRecovered', { rescueId, persons: [listed()] })).thenThrows(DomainRuleError, 'more-persons-than-recovered');
  });

  it('each once in the case', () => {
    const person = listed();
    spec.given([...executed, personsRecovered([person])]).when(cmd('RecordPersonsRecovered', { rescueId, persons: [person] })).thenThrows(IllegalStateError, 'person-already-listed');
  });

  it('never before the operation was executed, nor when it recovered no one', () => {
    spec.given(requested).when(cmd('RecordPersonsRecovered', { rescueId, persons: [listed()] })).thenThrows(IllegalStateError, 'operation-not-executed');
    spec.given(planned).when(cmd('RecordPersonsRecovered', { rescueId, persons: [listed()] })).thenThrows(IllegalStateError, 'operation-not-executed');
    const nobody = [...planned, operationExecuted({ outcome: 'no-one-found', personsRecovered: 0, minorsRecovered: 0 })];
    spec.given(nobody).when(cmd('RecordPersonsRecovered', { rescueId, persons: [listed()] })).thenThrows(DomainRuleError, 'no-one-recovered');
    spec.given(executed).when(cmd('RecordPersonsRecovered', { rescueId: newId(), persons: [listed()] })).thenThrows(DomainRuleError, 'rescue-unknown');
  });
});
