// The rescue case as rescue shows it: its rescues and how far each went, the returns received,
// the outgoing handovers and the persons it holds, in clear only what statistics count;
// personal fields are named (sealed; read through the vault by whoever may), never returned.
import { z } from 'zod';
import type { ListedPerson } from '@nrm/contracts';
import type { OutgoingHandover, PersonInHand, Rescue, RescueCase } from './rescue-case.ts';

const ProfileViewSchema = z.object({ personId: z.string(), sex: z.string(), ageGroup: z.string(), child: z.boolean(), nationality: z.string() });

const RescueViewSchema = z.object({
  rescueId: z.string(),
  status: z.enum(['requested', 'planned', 'executed']),
  requestedBy: z.string(),
  referralId: z.string().optional(),
  country: z.string(),
  province: z.string().optional(),
  peopleCount: z.int(),
  minorCount: z.int().optional(),
  urgency: z.string(),
  plannedFor: z.string().optional(),
  forces: z.array(z.string()).optional(),
  outcome: z.string().optional(),
  personsRecovered: z.int().optional(),
  minorsRecovered: z.int().optional(),
  suspectsDetained: z.int().optional(),
  recoveredPersonIds: z.array(z.string()),
  personalFields: z.array(z.string()).describe('sealed fields of the request; never returned here'),
});

const ReturnViewSchema = z.object({
  handoverId: z.string(),
  fromCountry: z.string(),
  borderGate: z.string().optional(),
  province: z.string(),
  foreignReference: z.string().optional(),
  personIds: z.array(z.string()),
});

const HandoverViewSchema = z.object({
  handoverId: z.string(),
  status: z.enum(['planned', 'scheduled', 'completed']),
  toCountry: z.string(),
  borderGate: z.string().optional(),
  date: z.string().describe('proposed while planned, agreed once scheduled, actual once completed'),
  persons: z.array(ProfileViewSchema),
  needs: z.array(z.string()),
  counterpartReference: z.string().optional(),
  receivedBy: z.string().optional(),
});

const PersonViewSchema = ProfileViewSchema.extend({
  via: z.enum(['rescue', 'return']),
  rescueId: z.string().optional(),
  handoverId: z.string().optional(),
  personalFields: z.array(z.string()).describe('sealed fields held about this person; never returned here'),
});

export const RescueCaseViewSchema = z.object({
  rescues: z.array(RescueViewSchema),
  returns: z.array(ReturnViewSchema),
  handovers: z.array(HandoverViewSchema),
  persons: z.array(PersonViewSchema),
});

const profileOf = ({ personId, sex, ageGroup, child, nationality }: Pick<ListedPerson, 'personId' | 'sex' | 'ageGroup' | 'child' | 'nationality'>) => ({ personId, sex, ageGroup, child, nationality });

function renderRescue(rescue: Rescue): z.infer<typeof RescueViewSchema> {
  const { rescueId, locality, ...request } = rescue.requested;
  const shown = { rescueId, status: rescue.status, ...request, personalFields: locality ? ['locality'] : [] };
  switch (rescue.status) {
    case 'requested':
      return { ...shown, recoveredPersonIds: [] };
    case 'planned':
      return { ...shown, plannedFor: rescue.planned.plannedFor, forces: rescue.planned.forces, recoveredPersonIds: [] };
    case 'executed': {
      const { outcome, personsRecovered, minorsRecovered, suspectsDetained } = rescue.executed;
      return { ...shown, plannedFor: rescue.planned.plannedFor, forces: rescue.planned.forces, outcome, personsRecovered, minorsRecovered, suspectsDetained, recoveredPersonIds: [...rescue.recovered] };
    }
    default: {
      const unknown: never = rescue;
      throw new Error(`unhandled rescue status ${(unknown as { status: string }).status}`);
    }
  }
}

function renderHandover(handover: OutgoingHandover): z.infer<typeof HandoverViewSchema> {
  const latest = handover.status === 'planned' ? handover.planned : handover.status === 'scheduled' ? handover.scheduled : handover.completed;
  const { handoverId, toCountry, borderGate, date, persons, needs } = latest;
  const counterpartReference = handover.status === 'planned' ? undefined : handover.scheduled.counterpartReference;
  return {
    handoverId,
    status: handover.status,
    toCountry,
    ...(borderGate ? { borderGate } : {}),
    date,
    persons: persons.map(profileOf),
    needs,
    ...(counterpartReference ? { counterpartReference } : {}),
    ...(handover.status === 'completed' ? { receivedBy: handover.completed.receivedBy } : {}),
  };
}

function renderPerson(person: PersonInHand): z.infer<typeof PersonViewSchema> {
  const origin = person.via === 'rescue' ? { via: person.via, rescueId: person.rescueId } : { via: person.via, handoverId: person.handoverId };
  return { ...profileOf(person.listed), ...origin, personalFields: Object.keys(person.listed.person).map((name) => `person.${name}`) };
}

export function renderRescueCase(state: RescueCase): z.infer<typeof RescueCaseViewSchema> | null {
  if (state.status === 'none') return null;
  return {
    rescues: Object.values(state.rescues).map(renderRescue),
    returns: Object.values(state.returns).map(({ persons, ...received }) => ({ ...received, personIds: persons.map((person) => person.personId) })),
    handovers: Object.values(state.handovers).map(renderHandover),
    persons: Object.values(state.persons).map(renderPerson),
  };
}
