// Intake (tiếp nhận tin báo, tố giác): a tip or denunciation arrives by the 111 hotline, the
// police, the border guard, an NGO, a citizen, a foreign authority or online; it is classified
// (phân loại), referred, and closed with an outcome. The tip's own id is the vault subject of
// what its reporter gave, so a reporter's contact can be erased without touching any victim's data.
import { z } from 'zod';
import { UlidSchema } from '../ids.ts';
import { CountrySchema } from '../reference/countries.ts';
import { ProvinceSchema } from '../reference/provinces.ts';
import { defineEvent } from '../registry.ts';
import type { EventDefinition } from '../registry.ts';
import { personal } from '../sealed-field.ts';
import { distinctItems, noMoreThan, provinceOnlyInVietNam, sealedFor } from './cross-field-rules.ts';
import { ExploitationFormSchema, InstitutionTextSchema, RiskLevelSchema } from './vocabulary.ts';

export const TIP_CHANNELS = ['hotline-111', 'police', 'border-guard', 'ngo', 'citizen', 'foreign-authority', 'online'] as const;
export const TipChannelSchema = z.enum(TIP_CHANNELS);

export const TIP_CLASSIFICATIONS = [
  'suspected-trafficking',
  'missing-person',
  'forced-labour',
  'marriage-or-adoption-brokerage',
  'organ-trade',
  'commercial-surrogacy',
  'not-trafficking',
] as const;
export const TipClassificationSchema = z.enum(TIP_CLASSIFICATIONS);

export const TIP_OUTCOMES = ['referred', 'unfounded', 'duplicate', 'transferred'] as const;
export const TipOutcomeSchema = z.enum(TIP_OUTCOMES);

/** Counts a tip reports; either may be unknown to the reporter. */
export const tipCountFields = {
  peopleCount: z.int().min(1).max(10_000).optional().describe('how many people the tip is about, if known'),
  minorCount: z.int().min(0).max(10_000).optional().describe('how many of them are under 18, if known; at most peopleCount'),
};

/** A tip from a foreign authority names its country; no other tip does. */
export function sourceCountryMatchesChannel(value: Record<string, unknown>, ctx: z.RefinementCtx): void {
  const foreign = value.channel === 'foreign-authority';
  if (foreign && value.sourceCountry === undefined) ctx.addIssue({ code: 'custom', path: ['sourceCountry'], message: 'is required for a tip from a foreign authority' });
  if (!foreign && value.sourceCountry !== undefined) ctx.addIssue({ code: 'custom', path: ['sourceCountry'], message: 'only a tip from a foreign authority has a source country' });
}

/** The detail each closing outcome carries; an outcome carries its own and no other's. */
const CLOSING_DETAILS = { referralId: 'referred', duplicateOf: 'duplicate', transferredTo: 'transferred' } as const;

export function closingDetailMatchesOutcome(value: Record<string, unknown>, ctx: z.RefinementCtx): void {
  for (const [detail, outcome] of Object.entries(CLOSING_DETAILS)) {
    const given = value[detail] !== undefined;
    if (value.outcome === outcome && !given) ctx.addIssue({ code: 'custom', path: [detail], message: `is required when the outcome is ${outcome}` });
    if (value.outcome !== outcome && given) ctx.addIssue({ code: 'custom', path: [detail], message: `is given only when the outcome is ${outcome}` });
  }
  if (value.duplicateOf !== undefined && value.duplicateOf === value.tipId) ctx.addIssue({ code: 'custom', path: ['duplicateOf'], message: 'a tip cannot duplicate itself' });
}

export const AllegedPlaceSchema = z
  .strictObject({
    country: CountrySchema.describe('where it is alleged to happen'),
    province: ProvinceSchema.optional().describe('when in Viet Nam'),
    locality: personal().optional().describe('district, commune, address or venue: may point to a person, so sealed'),
  })
  .superRefine(provinceOnlyInVietNam);

export const TipReceivedSchema = z
  .strictObject({
    tipId: UlidSchema.describe("the tip; also the vault subject that seals its reporter's contact and statement"),
    channel: TipChannelSchema,
    sourceCountry: CountrySchema.optional().describe('the country of the foreign authority; only for that channel'),
    province: ProvinceSchema.describe('the province whose figures the tip counts in (where it is handled)'),
    allegedPlace: AllegedPlaceSchema,
    ...tipCountFields,
    statement: personal().describe("what is alleged, in the reporter's words"),
    reporter: z
      .strictObject({ fullName: personal().optional(), phone: personal().optional(), email: personal().optional(), address: personal().optional() })
      .optional()
      .describe('absent when the reporter stays anonymous'),
  })
  .superRefine(sourceCountryMatchesChannel)
  .superRefine(noMoreThan('minorCount', 'peopleCount'))
  .superRefine(sealedFor('tipId', ['allegedPlace', 'statement', 'reporter']));
export type TipReceived = z.infer<typeof TipReceivedSchema>;

export const TipClassifiedSchema = z
  .strictObject({
    tipId: UlidSchema,
    classification: TipClassificationSchema,
    riskLevel: RiskLevelSchema,
    suspectedForms: z.array(ExploitationFormSchema).max(8).optional().describe('forms of exploitation suspected, each once'),
    note: personal().optional().describe('why it was classified so; sealed for tipId'),
  })
  .superRefine(distinctItems('suspectedForms'))
  .superRefine(sealedFor('tipId', ['note']));
export type TipClassified = z.infer<typeof TipClassifiedSchema>;

export const TipClosedSchema = z
  .strictObject({
    tipId: UlidSchema,
    outcome: TipOutcomeSchema,
    referralId: UlidSchema.optional().describe('the referral it was closed by; only when referred'),
    duplicateOf: UlidSchema.optional().describe('the tip it repeats; only when duplicate'),
    transferredTo: InstitutionTextSchema.optional().describe('the authority that took it over; only when transferred'),
  })
  .superRefine(closingDetailMatchesOutcome);
export type TipClosed = z.infer<typeof TipClosedSchema>;

export const intakeEvents: EventDefinition[] = [
  defineEvent({ agency: 'intake', name: 'TipReceived', schema: TipReceivedSchema, description: 'A tip or denunciation (tin báo, tố giác) was received: channel, province, alleged place, how many people and minors; the statement and any reporter contact sealed.' }),
  defineEvent({ agency: 'intake', name: 'TipClassified', schema: TipClassifiedSchema, description: 'A received tip was classified (phân loại): what it is about and how urgent it is.' }),
  defineEvent({ agency: 'intake', name: 'TipClosed', schema: TipClosedSchema, description: 'A tip was resolved: referred onward, unfounded, a duplicate of another, or transferred to another authority.' }),
];
