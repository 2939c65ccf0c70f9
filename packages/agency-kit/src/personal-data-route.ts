// GET /cases/{caseId}/persons/{personId}/personal-data?purpose=…: the one way an officer reads a
// person's sealed fields back in clear. Every field is opened first (an erased person or a broken
// envelope fails the read before anything happens), then the read is recorded as a
// PersonalDataAccessed event in this agency's case stream, and only once it is in the log does
// any plaintext leave the service. A read that cannot be recorded does not happen.
import { z } from 'zod';
import { PURPOSE_MAX_LENGTH, SealedFieldSchema, UlidSchema } from '@nrm/contracts';
import type { RecordedEvent, SealedField } from '@nrm/contracts';
import { NotFoundError, ProblemError, principalOf, requestCommandMetadata, requireAgency, requireRole } from '@nrm/service-kit';
import type { Command, NrmApp } from '@nrm/service-kit';
import { SubjectErasedError } from '@nrm/vault';
import type { Vault } from '@nrm/vault';
import { caseStream } from './case-decider.ts';
import type { CaseRuntime } from './case-runtime.ts';
import { READER_ROLES } from './case-view-route.ts';

/** The person's keys were destroyed (crypto-shredding): their data is gone for good. */
export class PersonErasedError extends ProblemError {
  override readonly name = 'PersonErasedError';
  readonly status = 410;
  readonly slug = 'person-erased';
  readonly title = 'The person’s personal data was erased';
}

export type SealedFieldAt = { event: RecordedEvent; path: string; name: string; envelope: SealedField };

/**
 * Every sealed field about `personId` in the events, with where it sits (`person.fullName`,
 * `persons[0].person.phone`). The vault name of a field is its key: what the routes sealed it as.
 */
export function sealedFieldsOf(events: readonly RecordedEvent[], personId: string): SealedFieldAt[] {
  const found: SealedFieldAt[] = [];
  const walk = (event: RecordedEvent, value: unknown, path: string, name: string): void => {
    if (Array.isArray(value)) {
      value.forEach((item, index) => walk(event, item, `${path}[${index}]`, name));
      return;
    }
    if (value === null || typeof value !== 'object') return;
    if ('sealed' in value) {
      const envelope = SealedFieldSchema.safeParse(value);
      if (envelope.success && envelope.data.subject === personId) found.push({ event, path, name, envelope: envelope.data });
      return;
    }
    for (const [key, child] of Object.entries(value)) walk(event, child, path ? `${path}.${key}` : key, key);
  };
  for (const event of events) walk(event, event.data, '', '');
  return found;
}

const QuerySchema = z.strictObject({
  purpose: z.string().trim().min(5, 'say why you need the personal data (at least 5 characters)').max(PURPOSE_MAX_LENGTH),
  fields: z
    .string()
    .max(2000)
    .optional()
    .describe('comma-separated paths to read (e.g. `person.fullName,person.phone`); all of the person’s fields when absent'),
});

const ResponseSchema = z.object({
  caseId: z.string(),
  personId: z.string(),
  accessEventId: z.string().describe('the PersonalDataAccessed event that recorded this read'),
  fields: z.array(z.object({ eventId: z.string(), eventType: z.string(), path: z.string(), value: z.unknown() })),
});

export function registerPersonalDataRoute<C extends Command, S>(app: NrmApp, runtime: CaseRuntime<C, S>, vault: Vault): void {
  const agency = runtime.agency;
  app.get(
    '/cases/:caseId/persons/:personId/personal-data',
    {
      schema: {
        summary: `Read a person's sealed personal fields in a ${agency} case; the read is recorded (PersonalDataAccessed) before anything is returned`,
        tags: [agency],
        params: z.strictObject({ caseId: UlidSchema, personId: UlidSchema }),
        querystring: QuerySchema,
        response: { 200: ResponseSchema },
      },
      preHandler: [requireAgency(agency), requireRole(...READER_ROLES)],
    },
    async (request) => {
      const { caseId, personId } = request.params;
      const { purpose } = request.query;
      const events = await runtime.store.readStream(caseStream(agency, caseId));
      if (events.length === 0) throw new NotFoundError(`${agency} has no case ${caseId}`);
      const wanted = request.query.fields?.split(',').map((path) => path.trim()).filter(Boolean);
      const found = sealedFieldsOf(events, personId).filter((field) => !wanted || wanted.includes(field.path));
      if (found.length === 0) throw new NotFoundError(`case ${caseId} holds no personal data of person ${personId}${wanted ? ` at ${wanted.join(', ')}` : ''}`);

      const reader = { actor: principalOf(request).subject, agency };
      const values: unknown[] = [];
      try {
        for (const field of found) values.push(await vault.open(field.envelope, { field: field.name, reader, purpose, subject: personId }));
      } catch (error) {
        if (error instanceof SubjectErasedError) throw new PersonErasedError(`the personal data of person ${personId} was erased`);
        throw error;
      }
      const recorded = await runtime.execute(
        caseId,
        'RecordPersonalDataAccess',
        { personId, fields: found.map((field) => ({ eventId: field.event.id, path: field.path })), purpose },
        requestCommandMetadata(request, { agency, caseId }),
      );
      return {
        caseId,
        personId,
        accessEventId: recorded.events[0]!.id,
        fields: found.map((field, index) => ({ eventId: field.event.id, eventType: field.event.type, path: field.path, value: values[index] })),
      };
    },
  );
}
