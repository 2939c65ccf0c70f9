// The identification case as identification shows it: each presumed victim, the steps taken and
// how verification concluded, in clear only what statistics count; personal fields are named
// (sealed; read through the vault by whoever may, and recorded when they do), never returned.
import { z } from 'zod';
import type { IdentificationCase, PresumedVictim } from './identification-case.ts';

const PresumedVictimViewSchema = z.object({
  personId: z.string(),
  status: z.enum(['verifying', 'identified', 'not-identified']),
  steps: z.array(z.object({ step: z.string(), result: z.string() })),
  sex: z.string().optional(),
  ageGroup: z.string().optional(),
  child: z.boolean().optional(),
  nationality: z.string().optional(),
  formsOfExploitation: z.array(z.string()).optional(),
  exploitationCountry: z.string().optional(),
  province: z.string().optional(),
  homeProvince: z.string().optional(),
  reason: z.string().optional().describe('why the person was not identified as a victim'),
  personalFields: z.array(z.string()).describe('sealed fields held about this person; never returned here'),
});

export const IdentificationViewSchema = z.object({ persons: z.array(PresumedVictimViewSchema) });

function renderPerson(person: PresumedVictim): z.infer<typeof PresumedVictimViewSchema> {
  const steps = person.steps.map(({ step, result }) => ({ step, result }));
  const stepNotes = person.steps.flatMap((step, index) => (step.note ? [`steps.${index}.note`] : []));
  switch (person.status) {
    case 'verifying':
      return { personId: person.personId, status: person.status, steps, personalFields: stepNotes };
    case 'identified': {
      const { personId: _personId, person: sealed, ...clear } = person.identified;
      return { personId: person.personId, status: person.status, steps, ...clear, personalFields: [...stepNotes, ...Object.keys(sealed).map((name) => `person.${name}`)] };
    }
    case 'not-identified': {
      const { reason, province, note } = person.notIdentified;
      return { personId: person.personId, status: person.status, steps, reason, province, personalFields: [...stepNotes, ...(note ? ['note'] : [])] };
    }
    default: {
      const unknown: never = person;
      throw new Error(`unhandled person status ${(unknown as { status: string }).status}`);
    }
  }
}

export function renderIdentificationCase(state: IdentificationCase): z.infer<typeof IdentificationViewSchema> | null {
  if (state.status === 'none') return null;
  return { persons: Object.values(state.persons).map(renderPerson) };
}
