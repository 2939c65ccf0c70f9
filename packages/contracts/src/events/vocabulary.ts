// Words more than one agency's events use, defined once so statistics can group by them across
// agencies: forms of exploitation, risk, sex, age groups, calendar dates.
import { z } from 'zod';

/** Forms of exploitation the trafficking law names, plus the scam compounds seen since 2020. */
export const EXPLOITATION_FORMS = [
  'sexual-exploitation',
  'forced-labour',
  'forced-criminality',
  'forced-marriage',
  'illegal-adoption',
  'organ-removal',
  'commercial-surrogacy',
  'other-inhumane-purpose',
] as const;
export const ExploitationFormSchema = z.enum(EXPLOITATION_FORMS);
export type ExploitationForm = z.infer<typeof ExploitationFormSchema>;

export const RISK_LEVELS = ['low', 'medium', 'high', 'critical'] as const;
export const RiskLevelSchema = z.enum(RISK_LEVELS).describe('critical: someone is in danger now');
export type RiskLevel = z.infer<typeof RiskLevelSchema>;

export const SEXES = ['female', 'male', 'other'] as const;
export const SexSchema = z.enum(SEXES);
export type Sex = z.infer<typeof SexSchema>;

/** The groups split at 16 (a child under the Law on Children) and at 18 (a child under the Palermo Protocol). */
export const CHILD_AGE_GROUPS = ['0-5', '6-11', '12-15', '16-17'] as const;
export const ADULT_AGE_GROUPS = ['18-24', '25-34', '35-49', '50-plus'] as const;
export const AGE_GROUPS = [...CHILD_AGE_GROUPS, ...ADULT_AGE_GROUPS, 'unknown'] as const;
export const AgeGroupSchema = z.enum(AGE_GROUPS).describe('age in years when recorded');
export type AgeGroup = z.infer<typeof AgeGroupSchema>;

/** Who speaks for the person: they themselves, or for a child or a person without capacity, whoever the law lets. */
export const CONSENT_GIVERS = ['person', 'parent-or-guardian', 'legal-representative'] as const;
export const ConsentGiverSchema = z.enum(CONSENT_GIVERS);

/** A calendar day (YYYY-MM-DD), for facts that have a date but no meaningful time. A malformed one stops here, so later rules never see it. */
export const IsoDateSchema = z.iso.date({ abort: true });

/** Clear text that names no one: an authority, an office, a reference number. */
export const InstitutionTextSchema = z.string().trim().min(1).max(200);

/** Money in whole Vietnamese đồng. */
export const AmountVndSchema = z.int().min(0).max(1_000_000_000).describe('whole Vietnamese đồng');
