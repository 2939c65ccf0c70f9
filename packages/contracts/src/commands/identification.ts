// The commands identification accepts: record a verification step, record that the person was
// identified as a victim or not, refer them onward, and answer referrals. The person's details
// arrive in plaintext and are sealed for their personId before VictimIdentified is written.
import { z } from 'zod';
import { childMatchesAgeGroup, distinctItems } from '../events/cross-field-rules.ts';
import { NotIdentifiedReasonSchema, VerificationResultSchema, VerificationStepSchema } from '../events/identification.ts';
import { victimProfileFields } from '../events/person.ts';
import { EXPLOITATION_FORMS, ExploitationFormSchema } from '../events/vocabulary.ts';
import { UlidSchema } from '../ids.ts';
import { CountrySchema } from '../reference/countries.ts';
import { ProvinceSchema } from '../reference/provinces.ts';
import { NoteTextSchema, occurredAtField } from './command-fields.ts';
import { PersonDetailsSchema } from './person.ts';
import { ReferPersonCommandSchema, referralCommands } from './referral.ts';

export const RecordVerificationStepCommandSchema = z.strictObject({
  personId: UlidSchema.optional().describe('absent on the first step about a presumed victim: the service allocates their personId and answers with it'),
  step: VerificationStepSchema,
  result: VerificationResultSchema,
  note: NoteTextSchema.optional(),
  ...occurredAtField,
});

export const IdentifyVictimCommandSchema = z
  .strictObject({
    personId: UlidSchema,
    person: PersonDetailsSchema,
    ...victimProfileFields,
    formsOfExploitation: z.array(ExploitationFormSchema).min(1).max(EXPLOITATION_FORMS.length),
    exploitationCountry: CountrySchema,
    province: ProvinceSchema,
    homeProvince: ProvinceSchema.optional(),
    ...occurredAtField,
  })
  .superRefine(childMatchesAgeGroup)
  .superRefine(distinctItems('formsOfExploitation'));

export const RecordVictimNotIdentifiedCommandSchema = z.strictObject({
  personId: UlidSchema,
  reason: NotIdentifiedReasonSchema,
  province: ProvinceSchema,
  note: NoteTextSchema.optional(),
  ...occurredAtField,
});

export const identificationCommands = {
  RecordVerificationStep: RecordVerificationStepCommandSchema,
  IdentifyVictim: IdentifyVictimCommandSchema,
  RecordVictimNotIdentified: RecordVictimNotIdentifiedCommandSchema,
  Refer: ReferPersonCommandSchema,
  ...referralCommands,
};
