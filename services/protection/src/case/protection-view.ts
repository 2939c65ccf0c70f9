// The protection case as protection shows it: who is protected (by id only), the consent in
// force per scope, shelter stays, safety measures and support, all in clear; and the names of
// the sealed fields it holds, which are read through the vault by whoever may (and recorded).
import { z } from 'zod';
import type { ProtectionCase } from './protection-case.ts';
import type { ConsentInForce } from '../consent/consent.ts';

const ConsentInForceViewSchema = z.object({ consentId: z.string(), givenBy: z.string(), form: z.string() }).nullable();

export const ProtectionCaseViewSchema = z.object({
  personId: z.string(),
  referralId: z.string().describe('the referral the case was opened from; completing it closes the case'),
  status: z.enum(['open', 'closed']),
  province: z.string(),
  child: z.boolean(),
  consentInForce: z
    .object({ 'data-sharing': ConsentInForceViewSchema, handover: ConsentInForceViewSchema, reintegration: ConsentInForceViewSchema })
    .describe('per scope, the consent in force now; null when none was given or it was withdrawn'),
  consents: z.array(z.object({ consentId: z.string(), scopes: z.array(z.string()), givenBy: z.string(), form: z.string() })),
  consentWithdrawals: z.array(z.object({ consentId: z.string(), scopes: z.array(z.string()) })),
  inShelter: z.boolean(),
  shelterStays: z.array(z.object({ shelter: z.string(), shelterKind: z.string(), province: z.string(), dischargeReason: z.string().optional() })),
  safetyMeasures: z.array(z.object({ measure: z.string() })),
  initialSupport: z.array(z.object({ kinds: z.array(z.string()), amountVnd: z.int().optional(), province: z.string() })),
  personalFields: z.array(z.string()).describe('sealed fields this case holds, as paths into this view; never returned here'),
});

const inForceView = (given: ConsentInForce | null) => (given ? { consentId: given.consentId, givenBy: given.givenBy, form: given.form } : null);

export function renderProtectionCase(state: ProtectionCase): z.infer<typeof ProtectionCaseViewSchema> | null {
  if (state.status === 'none') return null;
  const { opened, consent, shelter, support } = state;
  const personalFields = [
    ...consent.recorded.flatMap((given, index) => (given.document ? [`consents.${index}.document`] : [])),
    ...consent.withdrawals.flatMap((withdrawn, index) => (withdrawn.note ? [`consentWithdrawals.${index}.note`] : [])),
    ...support.safetyMeasures.flatMap((taken, index) => (taken.note ? [`safetyMeasures.${index}.note`] : [])),
  ];
  return {
    personId: opened.personId,
    referralId: opened.referralId,
    status: state.status,
    province: opened.province,
    child: opened.child,
    consentInForce: { 'data-sharing': inForceView(consent.inForce['data-sharing']), handover: inForceView(consent.inForce.handover), reintegration: inForceView(consent.inForce.reintegration) },
    consents: consent.recorded.map(({ consentId, scopes, givenBy, form }) => ({ consentId, scopes, givenBy, form })),
    consentWithdrawals: consent.withdrawals.map(({ consentId, scopes }) => ({ consentId, scopes })),
    inShelter: shelter.stays.some((stay) => stay.discharged === null),
    shelterStays: shelter.stays.map(({ admitted, discharged }) => ({
      shelter: admitted.shelter,
      shelterKind: admitted.shelterKind,
      province: admitted.province,
      ...(discharged ? { dischargeReason: discharged.reason } : {}),
    })),
    safetyMeasures: support.safetyMeasures.map(({ measure }) => ({ measure })),
    initialSupport: support.initialSupport.map(({ kinds, amountVnd, province }) => ({ kinds, ...(amountVnd === undefined ? {} : { amountVnd }), province })),
    personalFields,
  };
}
