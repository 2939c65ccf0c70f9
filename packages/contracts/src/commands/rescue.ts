// The commands rescue accepts: request, plan and report a rescue operation, record the persons
// recovered, receive victims returned from abroad, and plan, schedule and complete the return
// of foreign victims. New ids (rescue, handover, person) are allocated by the service; the
// facts of a handover that a command does not repeat come from the handover's plan.
import { z } from 'zod';
import { distinctItems, foreignCountry, gateOnBorderWith, noMoreThan, provinceOnlyInVietNam } from '../events/cross-field-rules.ts';
import { ProfiledPersonSchema } from '../events/person.ts';
import {
  HANDOVER_NEEDS,
  HandoverNeedSchema,
  RescueOperationExecutedSchema,
  RescueOperationPlannedSchema,
  RescueRequesterSchema,
  outgoingHandoverIsConsistent,
  referralIdExactlyWhenReferred,
} from '../events/rescue.ts';
import { InstitutionTextSchema, IsoDateSchema, RiskLevelSchema } from '../events/vocabulary.ts';
import { UlidSchema } from '../ids.ts';
import { BorderGateSchema } from '../reference/border-gates.ts';
import { CountrySchema } from '../reference/countries.ts';
import { ProvinceSchema } from '../reference/provinces.ts';
import { occurredAtField } from './command-fields.ts';
import { PersonInputSchema, knownPersonsListedOnce } from './person.ts';
import { ReferPersonCommandSchema, referralCommands } from './referral.ts';

export const RequestRescueCommandSchema = z
  .strictObject({
    requestedBy: RescueRequesterSchema,
    referralId: UlidSchema.optional().describe('the referral that asks for it, when requestedBy is referral'),
    country: CountrySchema,
    province: ProvinceSchema.optional(),
    locality: z.string().trim().min(1).max(500).optional().describe('where exactly; sealed by the service'),
    peopleCount: z.int().min(1).max(10_000),
    minorCount: z.int().min(0).max(10_000).optional(),
    urgency: RiskLevelSchema,
    ...occurredAtField,
  })
  .superRefine(provinceOnlyInVietNam)
  .superRefine(noMoreThan('minorCount', 'peopleCount'))
  .superRefine(referralIdExactlyWhenReferred);

export const PlanRescueOperationCommandSchema = RescueOperationPlannedSchema.safeExtend(occurredAtField);

export const RecordRescueOperationCommandSchema = RescueOperationExecutedSchema.safeExtend(occurredAtField);

export const RecordPersonsRecoveredCommandSchema = z
  .strictObject({
    rescueId: UlidSchema,
    persons: z.array(PersonInputSchema).min(1).max(1000),
    ...occurredAtField,
  })
  .superRefine(knownPersonsListedOnce);

export const ReceiveReturnFromAbroadCommandSchema = z
  .strictObject({
    fromCountry: CountrySchema,
    borderGate: BorderGateSchema.optional(),
    province: ProvinceSchema,
    foreignReference: InstitutionTextSchema.optional(),
    persons: z.array(PersonInputSchema).min(1).max(1000),
    ...occurredAtField,
  })
  .superRefine(foreignCountry('fromCountry'))
  .superRefine(gateOnBorderWith('fromCountry'))
  .superRefine(knownPersonsListedOnce);

export const PlanHandoverCommandSchema = z
  .strictObject({
    toCountry: CountrySchema,
    borderGate: BorderGateSchema.optional(),
    date: IsoDateSchema.describe('the date to propose to the receiving side'),
    persons: z.array(ProfiledPersonSchema).min(1).max(500),
    needs: z.array(HandoverNeedSchema).max(HANDOVER_NEEDS.length),
    ...occurredAtField,
  })
  .superRefine(outgoingHandoverIsConsistent);

/** The gate, when given, replaces the planned one; the service checks it against the planned country. */
export const ScheduleHandoverCommandSchema = z.strictObject({
  handoverId: UlidSchema,
  date: IsoDateSchema.describe('the date agreed with the receiving side'),
  borderGate: BorderGateSchema.optional(),
  counterpartReference: InstitutionTextSchema.optional(),
  ...occurredAtField,
});

export const CompleteHandoverCommandSchema = z
  .strictObject({
    handoverId: UlidSchema,
    receivedBy: InstitutionTextSchema.describe('the foreign authority that took the persons over'),
    personIds: z.array(UlidSchema).min(1).max(500).optional().describe('those actually handed over, when not everyone planned'),
    ...occurredAtField,
  })
  .superRefine(distinctItems('personIds'));

export const rescueCommands = {
  RequestRescue: RequestRescueCommandSchema,
  PlanRescueOperation: PlanRescueOperationCommandSchema,
  RecordRescueOperation: RecordRescueOperationCommandSchema,
  RecordPersonsRecovered: RecordPersonsRecoveredCommandSchema,
  ReceiveReturnFromAbroad: ReceiveReturnFromAbroadCommandSchema,
  PlanHandover: PlanHandoverCommandSchema,
  ScheduleHandover: ScheduleHandoverCommandSchema,
  CompleteHandover: CompleteHandoverCommandSchema,
  Refer: ReferPersonCommandSchema,
  ...referralCommands,
};
