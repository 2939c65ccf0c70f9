// Referring onward as a specification: from an open case, naming only its person, and to
// reintegration only naming the person with their consent to reintegration in force.
import { describe, it } from 'vitest';
import { newId } from '@nrm/contracts';
import { DomainRuleError, IllegalStateError, NotFoundError } from '@nrm/service-kit';
import { closedCase, cmd, consentId, consentRecorded, openCase, otherPersonId, personId, spec } from '../testing/given-protection-case.ts';

const referralId = newId();
const toReintegration = { referralId, to: 'reintegration', kind: 'reintegration', priority: 'normal', involvesChild: true, personId, summary: 'ready to go home to Hà Tĩnh', acceptBy: '2026-11-23T14:00:00.000Z' };
const withConsent = [...openCase, consentRecorded(['reintegration'])];

describe('protection: referring onward', () => {
  it('refers the person to reintegration with their consent in force', () => {
    spec.given(withConsent).when(cmd('IssueReferral', toReintegration)).then([{ type: 'protection.ReferralIssued', data: toReintegration }]);
  });

  it('not to reintegration without consent to it, or once it was withdrawn', () => {
    spec.given(openCase).when(cmd('IssueReferral', toReintegration)).thenThrows(DomainRuleError, 'no-reintegration-consent');
    spec.given([...openCase, consentRecorded(['data-sharing', 'handover'])]).when(cmd('IssueReferral', toReintegration)).thenThrows(DomainRuleError, 'no-reintegration-consent');
    const withdrawn = { type: 'protection.ConsentWithdrawn', data: { personId, consentId, scopes: ['reintegration'] } };
    spec.given([...withConsent, withdrawn]).when(cmd('IssueReferral', toReintegration)).thenThrows(DomainRuleError, 'no-reintegration-consent');
    spec.given(openCase).when(cmd('IssueReferral', { ...toReintegration, to: 'identification' })).thenThrows(DomainRuleError, 'no-reintegration-consent');
  });

  it('not to reintegration without naming the person, nor naming someone else', () => {
    const { personId: _personId, ...anonymous } = toReintegration;
    spec.given(withConsent).when(cmd('IssueReferral', anonymous)).thenThrows(DomainRuleError, 'person-required');
    spec.given(withConsent).when(cmd('IssueReferral', { ...toReintegration, personId: otherPersonId })).thenThrows(DomainRuleError, 'person-mismatch');
  });

  it('refers elsewhere without reintegration consent', () => {
    const { personId: _personId, ...anonymous } = toReintegration;
    const support = { ...anonymous, to: 'identification', kind: 'verification' };
    spec.given(openCase).when(cmd('IssueReferral', support)).then([{ type: 'protection.ReferralIssued', data: support }]);
  });

  it('only from an opened, open case', () => {
    spec.given([]).when(cmd('IssueReferral', toReintegration)).thenThrows(NotFoundError);
    spec.given([...closedCase, consentRecorded(['reintegration'])]).when(cmd('IssueReferral', toReintegration)).thenThrows(IllegalStateError, 'case-closed');
  });
});
