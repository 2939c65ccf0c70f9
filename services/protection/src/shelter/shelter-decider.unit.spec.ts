// Shelter stays as a specification: admitted while the case is open and not already in one,
// discharged only from the shelter the person is in (also after the case closed).
import { describe, it } from 'vitest';
import { DomainRuleError, IllegalStateError, NotFoundError } from '@nrm/service-kit';
import { admitted, closedCase, cmd, completed, openCase, otherPersonId, personId, shelterAdmission, spec } from '../testing/given-protection-case.ts';

const discharge = { personId, shelter: shelterAdmission.shelter, reason: 'returned-home' };
const discharged = { type: 'protection.ShelterDischarged', data: { ...discharge } };

describe('protection: shelter', () => {
  it('admits the person, and again after a discharge', () => {
    spec.given(openCase).when(cmd('AdmitToShelter', shelterAdmission)).then([admitted]);
    spec.given([...openCase, admitted, discharged]).when(cmd('AdmitToShelter', { ...shelterAdmission, shelter: 'TN-NGO-03', shelterKind: 'ngo-shelter' })).then([
      { type: 'protection.ShelterAdmitted', data: { ...shelterAdmission, shelter: 'TN-NGO-03', shelterKind: 'ngo-shelter' } },
    ]);
  });

  it('does not admit twice while the person is in a shelter', () => {
    spec.given([...openCase, admitted]).when(cmd('AdmitToShelter', shelterAdmission)).thenThrows(IllegalStateError, 'already-in-shelter');
  });

  it('admits only in an opened, open case, and only its person', () => {
    spec.given([]).when(cmd('AdmitToShelter', shelterAdmission)).thenThrows(NotFoundError);
    spec.given(closedCase).when(cmd('AdmitToShelter', shelterAdmission)).thenThrows(IllegalStateError, 'case-closed');
    spec.given(openCase).when(cmd('AdmitToShelter', { ...shelterAdmission, personId: otherPersonId })).thenThrows(DomainRuleError, 'person-mismatch');
  });

  it('discharges from the shelter the person is in, even after the case closed', () => {
    spec.given([...openCase, admitted]).when(cmd('DischargeFromShelter', discharge)).then([discharged]);
    spec.given([...openCase, admitted, completed]).when(cmd('DischargeFromShelter', discharge)).then([discharged]);
  });

  it('does not discharge without an admission, twice, or from another shelter', () => {
    spec.given(openCase).when(cmd('DischargeFromShelter', discharge)).thenThrows(IllegalStateError, 'not-in-shelter');
    spec.given([...openCase, admitted, discharged]).when(cmd('DischargeFromShelter', discharge)).thenThrows(IllegalStateError, 'not-in-shelter');
    spec.given([...openCase, admitted]).when(cmd('DischargeFromShelter', { ...discharge, shelter: 'TN-NGO-03' })).thenThrows(DomainRuleError, 'shelter-mismatch');
    spec.given([...openCase, admitted]).when(cmd('DischargeFromShelter', { ...discharge, personId: otherPersonId })).thenThrows(DomainRuleError, 'person-mismatch');
    spec.given([]).when(cmd('DischargeFromShelter', discharge)).thenThrows(NotFoundError);
  });
});
