// Consent as a specification: recorded per scope for the case's person while the case is open,
// withdrawn where it is in force (even after closing), and readable per scope from the state.
import { describe, expect, it } from 'vitest';
import { newId } from '@nrm/contracts';
import { fakeSealed } from '@nrm/contracts/testing';
import { DomainRuleError, IllegalStateError, NotFoundError } from '@nrm/service-kit';
import { consentInForce } from '../case/protection-case.ts';
import { closedCase, cmd, consent, consentId, consentRecorded, openCase, otherPersonId, personId, spec, stateAfter } from '../testing/given-protection-case.ts';

const withdrawal = (scopes: string[], id = consentId) => ({ personId, consentId: id, scopes });
const withdrawn = (scopes: string[], id = consentId) => ({ type: 'protection.ConsentWithdrawn', data: withdrawal(scopes, id) });

describe('protection: consent', () => {
  it('is recorded for the case’s person, with the sealed document', () => {
    const given = { ...consent(['data-sharing', 'reintegration']), document: fakeSealed(personId) };
    spec.given(openCase).when(cmd('RecordConsent', given)).then([{ type: 'protection.ConsentRecorded', data: given }]);
  });

  it('is recorded only in an opened, open case, for its person, under a new id', () => {
    spec.given([]).when(cmd('RecordConsent', consent(['handover']))).thenThrows(NotFoundError);
    spec.given(closedCase).when(cmd('RecordConsent', consent(['handover']))).thenThrows(IllegalStateError, 'case-closed');
    spec.given(openCase).when(cmd('RecordConsent', { ...consent(['handover']), personId: otherPersonId })).thenThrows(DomainRuleError, 'person-mismatch');
    spec.given([...openCase, consentRecorded(['handover'])]).when(cmd('RecordConsent', consent(['reintegration']))).thenThrows(IllegalStateError, 'consent-id-taken');
  });

  it('is in force per scope until withdrawn for that scope; a newer consent supersedes an older one', () => {
    const newer = newId();
    const events = [...openCase, consentRecorded(['data-sharing', 'handover']), withdrawn(['handover'])];
    expect(consentInForce(stateAfter(events), 'data-sharing')).toEqual({ consentId, givenBy: 'parent-or-guardian', form: 'written' });
    expect(consentInForce(stateAfter(events), 'handover')).toBeNull();
    expect(consentInForce(stateAfter(events), 'reintegration')).toBeNull();
    expect(consentInForce(stateAfter([...events, consentRecorded(['data-sharing'], newer)]), 'data-sharing')?.consentId).toBe(newer);
    expect(consentInForce(stateAfter([]), 'data-sharing')).toBeNull();
  });

  it('is withdrawn for scopes where it is in force, with the sealed reason', () => {
    const data = { ...withdrawal(['data-sharing']), note: fakeSealed(personId) };
    spec.given([...openCase, consentRecorded(['data-sharing', 'reintegration'])]).when(cmd('WithdrawConsent', data)).then([{ type: 'protection.ConsentWithdrawn', data }]);
  });

  it('is withdrawn even after the case closed', () => {
    spec.given([...closedCase.slice(0, -1), consentRecorded(['handover']), closedCase.at(-1)!]).when(cmd('WithdrawConsent', withdrawal(['handover']))).then([withdrawn(['handover'])]);
  });

  it('cannot be withdrawn where it is not in force, or when it was never given', () => {
    const recorded = [...openCase, consentRecorded(['data-sharing'])];
    spec.given(recorded).when(cmd('WithdrawConsent', withdrawal(['data-sharing'], newId()))).thenThrows(DomainRuleError, 'consent-unknown');
    spec.given(recorded).when(cmd('WithdrawConsent', withdrawal(['handover']))).thenThrows(IllegalStateError, 'consent-not-in-force');
    spec.given([...recorded, withdrawn(['data-sharing'])]).when(cmd('WithdrawConsent', withdrawal(['data-sharing']))).thenThrows(IllegalStateError, 'consent-not-in-force');
    spec.given([...recorded, consentRecorded(['data-sharing'], newId())]).when(cmd('WithdrawConsent', withdrawal(['data-sharing']))).thenThrows(IllegalStateError, 'consent-not-in-force');
    spec.given(recorded).when(cmd('WithdrawConsent', { ...withdrawal(['data-sharing']), personId: otherPersonId })).thenThrows(DomainRuleError, 'person-mismatch');
    spec.given([]).when(cmd('WithdrawConsent', withdrawal(['data-sharing']))).thenThrows(NotFoundError);
  });
});
