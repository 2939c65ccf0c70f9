// The commands intake accepts: receive a tip, classify it, refer it, close it. The statement,
// the exact locality and the reporter's contact arrive in plaintext; the service seals them
// for the new tip's id before TipReceived is written.
import { z } from 'zod';
import { distinctItems, noMoreThan, provinceOnlyInVietNam } from '../events/cross-field-rules.ts';
import { TipChannelSchema, TipClassificationSchema, TipClosedSchema, sourceCountryMatchesChannel, tipCountFields } from '../events/intake.ts';
import { EXPLOITATION_FORMS, ExploitationFormSchema, RiskLevelSchema } from '../events/vocabulary.ts';
import { UlidSchema } from '../ids.ts';
import { CountrySchema } from '../reference/countries.ts';
import { ProvinceSchema } from '../reference/provinces.ts';
import { NoteTextSchema, occurredAtField } from './command-fields.ts';
import { PersonDetailsSchema } from './person.ts';
import { ReferCommandSchema, referralCommands } from './referral.ts';

export const TipReporterInputSchema = z
  .strictObject({
    fullName: PersonDetailsSchema.shape.fullName.optional(),
    phone: PersonDetailsSchema.shape.phone,
    email: z.email().max(254).optional(),
    address: PersonDetailsSchema.shape.address,
  })
  .refine((reporter) => Object.keys(reporter).length > 0, 'leave the reporter out for an anonymous tip');

export const ReceiveTipCommandSchema = z
  .strictObject({
    channel: TipChannelSchema,
    sourceCountry: CountrySchema.optional().describe('the country of the foreign authority; only for that channel'),
    province: ProvinceSchema.describe('the province whose figures the tip counts in'),
    allegedPlace: z
      .strictObject({
        country: CountrySchema,
        province: ProvinceSchema.optional(),
        locality: z.string().trim().min(1).max(500).optional().describe('district, commune, address or venue'),
      })
      .superRefine(provinceOnlyInVietNam),
    ...tipCountFields,
    statement: z.string().trim().min(1).max(10_000).describe("what is alleged, in the reporter's words"),
    reporter: TipReporterInputSchema.optional().describe('absent when the reporter stays anonymous'),
    ...occurredAtField,
  })
  .superRefine(sourceCountryMatchesChannel)
  .superRefine(noMoreThan('minorCount', 'peopleCount'));

export const ClassifyTipCommandSchema = z
  .strictObject({
    tipId: UlidSchema,
    classification: TipClassificationSchema,
    riskLevel: RiskLevelSchema,
    suspectedForms: z.array(ExploitationFormSchema).max(EXPLOITATION_FORMS.length).optional(),
    note: NoteTextSchema.optional(),
    ...occurredAtField,
  })
  .superRefine(distinctItems('suspectedForms'));

export const ReferTipCommandSchema = ReferCommandSchema.extend({ tipId: UlidSchema.describe('the tip referred') });

export const CloseTipCommandSchema = TipClosedSchema.safeExtend(occurredAtField);

export const intakeCommands = {
  ReceiveTip: ReceiveTipCommandSchema,
  ClassifyTip: ClassifyTipCommandSchema,
  ReferTip: ReferTipCommandSchema,
  CloseTip: CloseTipCommandSchema,
  ...referralCommands,
};
