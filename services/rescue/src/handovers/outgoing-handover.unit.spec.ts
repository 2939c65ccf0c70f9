// Outgoing handovers as a specification: planned for persons the case knows, then scheduled,
// then completed, in that order, each event repeating the handover's facts.
import { describe, it } from 'vitest';
import { newId } from '@nrm/contracts';
import { DomainRuleError, IllegalStateError, NotFoundError } from '@nrm/service-kit';
import { cmd, executionData, handoverFacts, handoverPlanned, handoverScheduled, inHand, listed, operationExecuted, operationPlanned, personsRecovered, referralReceived, referredPersonId, rescueRequested, spec } from '../testing/rescue-fixtures.ts';

const girl = newId();
const recovered = [...inHand, rescueRequested(), operationPlanned(), operationExecuted(executionData({ personsRecovered: 1, minorsRecovered: 1 })), personsRecovered([listed(girl, { ageGroup: '16-17', child: true, nationality: 'LA' })])];
const handoverId = newId();
const plan = (personIds: readonly string[] = [girl], id = handoverId) => cmd('PlanHandover', { ...handoverFacts(id, personIds), date: '2026-12-01' });
const planned = [...recovered, handoverPlanned(handoverId, [girl])];
const scheduled = [...planned, handoverScheduled(handoverId, [girl])];
const completedOn = '2026-12-03T02:30:00.000Z';
const completed = { type: 'rescue.HandoverCompleted', data: { ...handoverFacts(handoverId, [girl]), date: '2026-12-03', receivedBy: 'Bolikhamxay provincial police' } };

describe('rescue: returning a foreign victim to their country', () => {
  it('is planned for persons the case holds or was referred', () => {
    spec.given(recovered).when(plan()).then([handoverPlanned(handoverId, [girl])]);
    spec.given(recovered).when(plan([girl, referredPersonId])).then([handoverPlanned(handoverId, [girl, referredPersonId])]);
    spec.given(recovered).when(plan([newId()])).thenThrows(DomainRuleError, 'person-unknown');
    spec.given(planned).when(plan([girl], newId())).thenThrows(IllegalStateError, 'person-already-in-handover');
    spec.given(planned).when(plan([referredPersonId])).thenThrows(IllegalStateError, 'handover-id-taken');
  });

  it('only in a case rescue holds', () => {
    spec.given([]).when(plan()).thenThrows(NotFoundError);
    spec.given([referralReceived()]).when(plan([referredPersonId])).thenThrows(IllegalStateError, 'no-accepted-referral');
  });

  it('is scheduled on the agreed date, and rescheduled, with the planned facts', () => {
    spec.given(planned).when(cmd('ScheduleHandover', { handoverId, date: '2026-12-03', counterpartReference: 'LA-BLK-77' })).then([handoverScheduled(handoverId, [girl])]);
    spec.given(scheduled).when(cmd('ScheduleHandover', { handoverId, date: '2026-12-05', borderGate: 'Nậm Cắn' })).then([
      { type: 'rescue.HandoverScheduled', data: { ...handoverFacts(handoverId, [girl]), borderGate: 'Nậm Cắn', date: '2026-12-05' } },
    ]);
  });

  it('is scheduled through a gate on the border with the destination only', () => {
    spec.given(planned).when(cmd('ScheduleHandover', { handoverId, date: '2026-12-03', borderGate: 'Mộc Bài' })).thenThrows(DomainRuleError, 'gate-not-on-border');
  });

  it('is completed once scheduled, dated the day it happened', () => {
    spec.given(scheduled).when(cmd('CompleteHandover', { handoverId, receivedBy: 'Bolikhamxay provincial police' }, completedOn)).then([completed]);
    spec.given(planned).when(cmd('CompleteHandover', { handoverId, receivedBy: 'Bolikhamxay provincial police' })).thenThrows(IllegalStateError, 'handover-not-scheduled');
  });

  it('completes with only the persons actually handed over', () => {
    const both = [...recovered, handoverPlanned(handoverId, [girl, referredPersonId]), handoverScheduled(handoverId, [girl, referredPersonId])];
    spec.given(both).when(cmd('CompleteHandover', { handoverId, receivedBy: 'Bolikhamxay provincial police', personIds: [girl] }, completedOn)).then([completed]);
    spec.given(both).when(cmd('CompleteHandover', { handoverId, receivedBy: 'Bolikhamxay provincial police', personIds: [newId()] })).thenThrows(DomainRuleError, 'person-not-in-handover');
  });

  it('follows its order: nothing before the plan, nothing after completion', () => {
    const other = newId();
    spec.given(recovered).when(cmd('ScheduleHandover', { handoverId: other, date: '2026-12-03' })).thenThrows(IllegalStateError, 'handover-not-planned');
    spec.given(recovered).when(cmd('CompleteHandover', { handoverId: other, receivedBy: 'x' })).thenThrows(IllegalStateError, 'handover-not-planned');
    spec.given([...scheduled, completed]).when(cmd('ScheduleHandover', { handoverId, date: '2026-12-09' })).thenThrows(IllegalStateError, 'handover-already-completed');
    spec.given([...scheduled, completed]).when(cmd('CompleteHandover', { handoverId, receivedBy: 'x' })).thenThrows(IllegalStateError, 'handover-already-completed');
  });
});
